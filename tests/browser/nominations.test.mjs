// Nominations in the officer console: the allocations officer finds a partner's vacancy,
// reads its shortlist from the register and nominates an applicant; advertises a vacancy
// for bids, finds the advert in the adverts tab, closes bidding and reads the ranking.
// Against the running demo stack (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, call, problems, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the allocations officer shortlists a vacancy and nominates, ${how}`, async () => {
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript });
    assert.ok(await page.getByRole('link', { name: 'Nominations a partner has not answered in time' }).isVisible());
    await page.getByRole('link', { name: 'Nominations', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Nominations');
    await accessible(page, `vacancies${tag}`, { javaScript });

    // The first open vacancy whose shortlist has someone on it.
    const vacancies = await page.locator('table.govuk-table tbody a').evaluateAll((links) => links.map((a) => a.href));
    assert.ok(vacancies.length, 'the demo partners have open vacancies');
    let shortlisted = false;
    for (const vacancy of vacancies) {
      await page.goto(vacancy);
      if (await page.getByRole('button', { name: /^Nominate/ }).count()) {
        shortlisted = true;
        break;
      }
    }
    assert.ok(shortlisted, 'a vacancy with a shortlist');
    assert.equal(await page.locator('h1').innerText(), 'Shortlist for the vacancy');
    await accessible(page, `shortlist${tag}`, { javaScript });
    const first = page.locator('table.govuk-table tbody tr').first();
    const reference = (await first.locator('td').first().innerText()).trim();
    await first.getByRole('button', { name: /^Nominate/ }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('h1').innerText(), `Nomination of ${reference}`);
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Awaiting the partner' }).isVisible());
    assert.match(await page.locator('.govuk-summary-list__row:has(dt:text-is("Nominated")) dd').innerText(), /By you \(Alan Okafor\)/);
    await accessible(page, `nominated${tag}`, { javaScript });

    // It waits on the partner now.
    await page.goto(`${CONSOLE}/nominations?show=pending`);
    assert.ok(await page.getByRole('link', { name: reference }).count(), 'listed as awaiting the partner');
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the allocations officer advertises a vacancy, closes bidding and reads the ranking, ${how}`, async () => {
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript });
    await page.goto(`${CONSOLE}/nominations`);
    // An open vacancy whose shortlist has applicants who fit it, to bid.
    const vacancies = await page.locator('table.govuk-table tbody a').evaluateAll((links) => links.map((a) => a.href));
    let bidders = [];
    for (const vacancy of vacancies) {
      await page.goto(vacancy);
      bidders = await page.locator('input[name=application_id]').evaluateAll((inputs) => inputs.map((i) => i.value));
      if (bidders.length >= 2) break;
    }
    assert.ok(bidders.length >= 2, 'a vacancy two applicants fit');
    await page.getByRole('link', { name: 'Advertise this home for bids' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Advertise the home for bids');

    // No closing date: the error summary names the field.
    await page.getByRole('button', { name: 'Advertise for bids' }).click();
    assert.deepEqual(await problems(page), ['Enter the closing date']);
    await accessible(page, `advert-new-error${tag}`, { javaScript });

    const closes = new Date(Date.now() + 7 * 86400000);
    await page.getByLabel('Day').fill(String(closes.getUTCDate()));
    await page.getByLabel('Month').fill(String(closes.getUTCMonth() + 1));
    await page.getByLabel('Year').fill(String(closes.getUTCFullYear()));
    await page.getByRole('button', { name: 'Advertise for bids' }).click();
    // Redirected to the advert's own page, which says what just happened.
    await page.waitForSelector('.govuk-notification-banner');
    const advertUrl = page.url().match(/\/nominations\/adverts\/([0-9a-f-]{36})\?advertised=1$/);
    assert.ok(advertUrl, `redirected to the advert page: ${page.url()}`);
    const advertId = advertUrl[1];
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /advertised for bids/);
    assert.equal(await page.locator('h1').innerText(), 'Advert for bids');
    const bids = page.locator('.govuk-summary-list__row:has(dt:text-is("Bids")) dd');
    const bidding = page.locator('.govuk-summary-list__row:has(dt:text-is("Bidding")) dd');
    assert.equal(await bids.innerText(), '0');
    assert.equal(await bidding.innerText(), 'Open for bids');
    await accessible(page, `advert${tag}`, { javaScript });

    // Two applicants bid, as the bidding portal would for them.
    for (const applicationId of bidders.slice(0, 2)) {
      call('nominations', 'PlaceBid', 'alloc.officer', { advert_id: advertId, application_id: applicationId });
    }

    // The adverts tab lists it, with its bids, and links to it.
    await page.goto(`${CONSOLE}/nominations?show=advertised`);
    assert.equal(await page.locator('.moj-sub-navigation__link[aria-current=page]').innerText(), 'Advertised for bids');
    const row = page.locator('table.govuk-table tbody tr', { has: page.locator(`a[href="/nominations/adverts/${advertId}"]`) });
    assert.equal(await row.count(), 1, 'the advert is listed');
    assert.equal(await row.locator('td').nth(2).innerText(), '2');
    assert.equal(await row.locator('.govuk-tag').innerText(), 'Open for bids');
    await accessible(page, `adverts${tag}`, { javaScript });

    // The advert by its address, bookmarked: read afresh, without the banner.
    await row.locator('a').click();
    assert.equal(page.url(), `${CONSOLE}/nominations/adverts/${advertId}`);
    assert.equal(await page.locator('.govuk-notification-banner').count(), 0);
    assert.equal(await bids.innerText(), '2');
    await accessible(page, `advert-open${tag}`, { javaScript });
    await page.getByRole('button', { name: 'Close bidding and rank the bidders' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(page.url(), `${CONSOLE}/nominations/adverts/${advertId}?closed=1`);
    assert.equal(await page.locator('h1').innerText(), 'Bidders ranked for the home');
    assert.equal(await bidding.innerText(), 'Bidding closed');
    assert.equal(await bids.innerText(), '2');
    const places = await page.locator('table.govuk-table tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(places, ['1', '2'], 'both bidders fit, ranked');
    await accessible(page, `advert-ranked${tag}`, { javaScript });

    // Refreshing shows the same ranking and closes nothing again.
    await page.goto(`${CONSOLE}/nominations/adverts/${advertId}`);
    assert.deepEqual(await page.locator('table.govuk-table tbody tr td:first-child').allInnerTexts(), ['1', '2']);
    await page.goto(`${CONSOLE}/nominations?show=advertised`);
    assert.equal(await row.locator('.govuk-tag').innerText(), 'Bidding closed');
    await context.close();
  });
}
