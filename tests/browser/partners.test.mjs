// Partners and refusals in the officer console: a senior officer adds a housing association
// and changes its agreement, which an allocations officer may read but not change; the
// allocations officer records an applicant's refusal after the refusal interview, where
// holding a final offer suitable is left to a senior officer. Against the running demo stack
// (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, problems, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';
  const name = `Hillside Homes ${javaScript ? 'North' : 'South'}`;

  test(`a senior officer adds a partner and changes its agreement; an allocations officer only reads them, ${how}`, async () => {
    let { context, page } = await signIn('senior.officer', 'demo-senior', { javaScript, start: '/nominations' });
    await page.getByRole('link', { name: 'Partners and their agreements' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Partners');
    assert.ok(await page.getByRole('rowheader', { name: 'Riverside Homes' }).isVisible(), 'a demo partner is listed');
    await accessible(page, `partners${tag}`, { javaScript });

    await page.getByRole('button', { name: 'Add a partner' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Add a partner');
    await page.getByLabel('Working days the partner has to answer a nomination').fill('none');
    await page.getByRole('button', { name: 'Add the partner' }).click();
    assert.deepEqual(await problems(page), [
      "Enter the partner's name",
      "Select whether the homes are the council's own or a housing association's",
      'Enter the working days the partner has to answer, as a whole number above 0',
      "Enter the council's share of the partner's lets, a whole number from 1 to 100",
    ]);
    await accessible(page, `partner-new-errors${tag}`, { javaScript });
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('A housing association, nominated to under an agreement').check();
    await page.getByLabel('Working days the partner has to answer a nomination').fill('5');
    await page.getByLabel("The council's share of the partner's lets, in percent").fill('50');
    // The partner port checks the certificate: text that is not one is named.
    await page.getByLabel("The partner's client certificate (PEM)").fill('not a certificate');
    await page.getByRole('button', { name: 'Add the partner' }).click();
    const [certificate] = await problems(page);
    assert.ok(certificate, 'the service refuses text that is not a certificate');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), name, 'what was typed is kept');
    await page.getByLabel("The partner's client certificate (PEM)").fill('');
    await page.getByRole('button', { name: 'Add the partner' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The partner has been added/);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
    assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 3), ['Housing association', '5', '50%']);

    await row.getByRole('link', { name: /^Change/ }).click();
    assert.equal(await page.locator('h1').innerText(), 'Change the agreement');
    assert.equal(await page.getByLabel('Working days the partner has to answer a nomination').inputValue(), '5');
    await page.getByLabel("The council's share of the partner's lets, in percent").fill('101');
    await page.getByRole('button', { name: 'Save the agreement' }).click();
    assert.deepEqual(await problems(page), ["Enter the council's share of the partner's lets, a whole number from 1 to 100"]);
    await accessible(page, `partner-edit-errors${tag}`, { javaScript });
    await page.getByLabel("The council's share of the partner's lets, in percent").fill('60');
    await page.getByLabel('Working days the partner has to answer a nomination').fill('10');
    await page.getByRole('button', { name: 'Save the agreement' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 3), ['Housing association', '10', '60%']);
    const change = await row.getByRole('link', { name: /^Change/ }).getAttribute('href');
    await context.close();

    // An allocations officer reads the partners, and can neither add one nor change one.
    ({ context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: '/nominations/partners' }));
    assert.equal(await page.locator('h1').innerText(), 'Partners');
    assert.equal(await page.getByRole('button', { name: 'Add a partner' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: /^Change/ }).count(), 0);
    assert.equal((await page.goto(`${CONSOLE}/nominations/partners/new`)).status(), 403);
    assert.equal((await page.goto(`${CONSOLE}${change}`)).status(), 403);
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the allocations officer records an applicant's refusal after the interview, ${how}`, async () => {
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: '/nominations' });
    // Nominate the first applicant on the first shortlist with someone on it.
    const vacancies = await page.locator('table.govuk-table tbody a').evaluateAll((links) => links.map((a) => a.href));
    let shortlisted = false;
    for (const vacancy of vacancies) {
      await page.goto(vacancy);
      if (await page.getByRole('button', { name: /^Nominate/ }).count()) {
        shortlisted = true;
        break;
      }
    }
    assert.ok(shortlisted, 'a vacancy with a shortlist');
    await page.locator('table.govuk-table tbody tr').first().getByRole('button', { name: /^Nominate/ }).click();
    await page.getByLabel('Ordinary nomination').check();
    await page.getByRole('button', { name: 'Nominate the applicant' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    const nomination = page.url().split('?')[0];

    await page.getByRole('button', { name: "Record the applicant's refusal" }).click();
    assert.equal(await page.locator('h1').innerText(), "Record the applicant's refusal");
    await page.getByRole('button', { name: 'Record the refusal' }).click();
    assert.deepEqual(await problems(page), [
      'Select why the applicant refused the offer',
      'Enter what the applicant said at the refusal interview',
      "Select whether this was the applicant's final offer",
      'Select whether the council holds the offer suitable',
      'Enter why the council holds the offer suitable or not; the applicant is told',
    ]);
    await accessible(page, `refusal-errors${tag}`, { javaScript });

    await page.getByLabel('Where the home is').check();
    await page.getByLabel('What the applicant said at the refusal interview').fill('The flat is two buses from the children’s school.');
    await page.getByRole('group', { name: "Was this the applicant's final offer?" }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Does the council hold the offer suitable?' }).getByLabel('Yes').check();
    await page.getByLabel('Why the council holds the offer suitable or not').fill('Within the area the applicant asked for, and a bus route serves the school.');
    await page.getByRole('button', { name: 'Record the refusal' }).click();
    assert.deepEqual(await problems(page), [
      'Only a senior officer or a manager can hold a refused final offer suitable: ask one to record this refusal',
    ]);
    await accessible(page, `refusal-senior${tag}`, { javaScript });

    await page.getByRole('group', { name: "Was this the applicant's final offer?" }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Record the refusal' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(page.url().split('?')[0], nomination);
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The refusal has been recorded/);
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Refused' }).isVisible());
    assert.equal(await page.getByRole('button', { name: "Record the applicant's refusal" }).count(), 0);
    await accessible(page, `refused${tag}`, { javaScript });
    await context.close();
  });
}
