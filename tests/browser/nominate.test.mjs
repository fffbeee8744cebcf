// Nominating as a step of its own, and bids an officer places for an applicant: the
// allocations officer chooses the kind of offer and what the landlord is told, and reads
// both on the nomination; an officer bids on an open advert for an applicant who cannot bid
// online, and withdraws the bid; an officer who does not nominate can neither open nor post
// the form. Against the running demo stack (see console.mjs).
//
// The other files take vacancies from the top of the open list and nominate the first on a
// shortlist; these take them from the bottom and the last on the shortlist, so that each
// run works on demo homes and households of its own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, call, problems, signIn } from './console.mjs';

/** The last open vacancy with someone on its shortlist: its id, and the last candidate. */
async function lastShortlisted(page) {
  await page.goto(`${CONSOLE}/nominations`);
  const vacancies = await page.locator('table.govuk-table tbody a').evaluateAll((links) => links.map((a) => a.href));
  for (const vacancy of vacancies.reverse()) {
    await page.goto(vacancy);
    const rows = page.locator('table.govuk-table tbody tr', { has: page.getByRole('button', { name: /^Nominate/ }) });
    if (await rows.count()) {
      const last = rows.last();
      return {
        vacancyId: vacancy.split('/').pop(),
        reference: (await last.locator('td').first().innerText()).trim(),
        row: last,
      };
    }
  }
  assert.fail('an open vacancy with a shortlist');
}

/** The inline error of the field `id`, as a screen reader reads it. */
async function inline(page, id) {
  return (await page.locator(`#${id}-error`).textContent()).replace(/\s+/g, ' ').trim();
}

const FINAL_OFFER = 'Final offer to a homeless applicant (section 193(7))';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the allocations officer nominates with a kind of offer and what the landlord is told, ${how}`, async () => {
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: '/nominations' });
    const { reference, row } = await lastShortlisted(page);
    await row.getByRole('button', { name: /^Nominate/ }).click();
    assert.equal(await page.locator('h1').innerText(), `Nominate ${reference}`);
    assert.equal(await page.getByLabel(FINAL_OFFER).isChecked(), false, 'no kind of offer chosen for the officer');
    await accessible(page, `nominate${tag}`, { javaScript });

    // Nothing chosen: the kind of offer is asked for.
    await page.getByRole('button', { name: 'Nominate the applicant' }).click();
    assert.deepEqual(await problems(page), ['Select the kind of offer']);
    assert.match(await page.title(), /^Error: Nominate /);
    await accessible(page, `nominate-error-kind${tag}`, { javaScript });

    // A final offer warns what a refusal means; support needs without the applicant's
    // agreement are refused by the service, named on the checkbox, the form kept.
    await page.getByLabel(FINAL_OFFER).check();
    const warning = page.locator('.govuk-warning-text', { hasText: 'refuses a suitable final offer' });
    assert.ok(await warning.isVisible(), 'the final offer warning');
    await page.getByLabel('Support needs (optional)').fill('Needs help to manage a tenancy\n\nWeekly visit from a support worker');
    await page.getByLabel('Risks (optional)').fill('Staff visit in pairs');
    await page.getByRole('button', { name: 'Nominate the applicant' }).click();
    const refused = 'The applicant must agree before support needs or risks are shared with the landlord';
    assert.deepEqual(await problems(page), [refused]);
    assert.equal(await inline(page, 'shared-applicant_agreed'), `Error: ${refused}`);
    assert.equal(await page.getByLabel(FINAL_OFFER).isChecked(), true);
    assert.equal(await page.getByLabel('Risks (optional)').inputValue(), 'Staff visit in pairs');
    assert.match(await page.getByLabel('Support needs (optional)').inputValue(), /Weekly visit from a support worker/);
    await accessible(page, `nominate-error-agreed${tag}`, { javaScript });

    // The summary links to the checkbox.
    await page.locator('.govuk-error-summary__list a').click();
    await page.getByLabel('The applicant agreed to share these with the landlord').check();
    await page.getByRole('button', { name: 'Nominate the applicant' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('h1').innerText(), `Nomination of ${reference}`);
    assert.equal(await page.locator('.govuk-summary-list__row:has(dt:text-is("Kind of offer")) dd').innerText(), FINAL_OFFER);
    assert.deepEqual(
      await page.locator('.govuk-summary-list__row:has(dt:text-is("Support needs and risks")) li').allInnerTexts(),
      ['Support: Needs help to manage a tenancy', 'Support: Weekly visit from a support worker', 'Risk: Staff visit in pairs'],
    );
    await accessible(page, `nominated-final${tag}`, { javaScript });
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`an officer bids on an open advert for an applicant and withdraws the bid, ${how}`, async () => {
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: '/nominations' });
    const { vacancyId, reference } = await lastShortlisted(page);
    const closes = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    const { advert } = call('nominations', 'CreateAdvert', 'alloc.officer', {
      request_id: `browser-bid-advert-${Date.now()}${tag}`,
      vacancy_id: vacancyId,
      closes_on: closes,
    });
    await page.goto(`${CONSOLE}/nominations/adverts/${advert.advert_id}`);
    const bids = page.locator('.govuk-summary-list__row:has(dt:text-is("Bids")) dd');
    const field = page.getByLabel('Application reference');
    const place = page.getByRole('button', { name: 'Place the bid' });
    const withdraw = page.getByRole('button', { name: 'Withdraw their bid' });
    assert.equal(await bids.innerText(), '0');
    await accessible(page, `advert-bid${tag}`, { javaScript });

    // No reference, then one the register does not have: named on the field, kept.
    await place.click();
    assert.deepEqual(await problems(page), ["Enter the applicant's application reference"]);
    await field.fill('NO-SUCH-1');
    await place.click();
    assert.deepEqual(await problems(page), ['No application has the reference NO-SUCH-1']);
    assert.equal(await field.inputValue(), 'NO-SUCH-1');
    assert.equal(await inline(page, 'bid-reference'), 'Error: No application has the reference NO-SUCH-1');
    await accessible(page, `advert-bid-unknown${tag}`, { javaScript });

    await field.fill(reference);
    await place.click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The bid has been placed for the applicant/);
    assert.equal(await bids.innerText(), '1');
    await accessible(page, `advert-bid-placed${tag}`, { javaScript });

    // A second bid for the same applicant is refused on the field; the count stays.
    await field.fill(reference);
    await place.click();
    assert.deepEqual(await problems(page), [`${reference} has already bid on this advert`]);
    assert.equal(await bids.innerText(), '1');
    await accessible(page, `advert-bid-twice${tag}`, { javaScript });

    await withdraw.click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The applicant's bid has been withdrawn/);
    assert.equal(await bids.innerText(), '0');
    await field.fill(reference);
    await withdraw.click();
    assert.deepEqual(await problems(page), [`${reference} has no bid on this advert to withdraw`]);
    await accessible(page, `advert-bid-none${tag}`, { javaScript });
    await context.close();
  });
}

test('an officer who does not nominate can neither open nor post the nomination form', async () => {
  const { context, page } = await signIn('reg.assistant', 'demo-register', { start: '/register/new' });
  const vacancy = '00000000-0000-0000-0000-000000000000';
  const opened = await page.goto(`${CONSOLE}/nominations/vacancies/${vacancy}/nominate?application_id=${vacancy}`);
  assert.equal(opened.status(), 403);
  await page.goto(`${CONSOLE}/register/new`);
  // The assistant's own valid CSRF token, so that only the role can refuse the post.
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/nominate') && r.request().method() === 'POST'),
    page.evaluate((vacancy) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = `/nominations/vacancies/${vacancy}/nominate`;
      for (const [name, value] of Object.entries({
        csrf_token: document.querySelector('input[name=csrf_token]').value,
        application_id: vacancy,
        offer_kind: 'urgent',
      })) {
        form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
      }
      document.body.append(form);
      form.submit();
    }, vacancy),
  ]);
  assert.equal(posted.status(), 403);
  await page.waitForURL(/\/nominate$/);
  assert.equal(await page.locator('h1').innerText(), 'You cannot do this');
  await context.close();
});
