// Nominations in the officer console: the allocations officer finds a partner's vacancy,
// reads its shortlist from the register and nominates an applicant; advertises a vacancy
// for bids, finds the advert in the adverts tab, closes bidding and reads the ranking;
// lists a home for mutual exchange, proposes the swap found and records the council's
// consent; and a senior officer records a decant. Against the running demo stack (see console.mjs).

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
    await page.getByLabel('Ordinary nomination').check();
    await page.getByRole('button', { name: 'Nominate the applicant' }).click();
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

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the allocations officer lists a home for exchange, finds a swap, proposes it and records the council's consent, ${how}`, async () => {
    // Areas of this run's own, so that only this run's listings match each other.
    const run = `${Date.now()}${tag}`;
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: '/nominations' });
    await page.getByRole('link', { name: 'Exchanges', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Mutual exchanges');
    assert.equal(await page.locator('.moj-sub-navigation__link[aria-current=page]').innerText(), 'Exchanges');
    await accessible(page, `exchanges${tag}`, { javaScript });

    await page.getByRole('button', { name: 'List a home for exchange' }).click();
    await page.getByRole('button', { name: 'List the home' }).click();
    assert.deepEqual((await problems(page)).slice(0, 2), ["Enter the tenant's name", 'Enter where the home is']);
    await accessible(page, `exchange-listing-new-error${tag}`, { javaScript });
    await page.getByLabel("Tenant's name").fill(`Ann Lee ${run}`);
    await page.getByLabel('Area', { exact: true }).fill(`north-${run}`);
    await page.getByLabel('Bedrooms', { exact: true }).fill('2');
    await page.getByLabel('Kind of home', { exact: true }).fill('flat');
    await page.getByLabel('Areas (optional)').fill(`south-${run}`);
    await page.getByLabel('Fewest bedrooms').fill('3');
    await page.getByLabel('Most bedrooms').fill('3');
    await page.getByRole('button', { name: 'List the home' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('h1').innerText(), `Exchange listing of Ann Lee ${run}`);
    assert.match(await page.locator('main').innerText(), /No other listed tenant wants this home/);
    await accessible(page, `exchange-listing${tag}`, { javaScript });
    const listingUrl = page.url().replace(/\?.*$/, '');

    // Another council tenant wants Ann's home and has the one she wants.
    call('nominations', 'CreateExchangeListing', 'alloc.officer', {
      request_id: `browser-listing-${run}`,
      listing: {
        tenant_name: `Bo Chan ${run}`,
        home: { area: `south-${run}`, bedrooms: 3, property_type: 'house' },
        wants: { areas: [`north-${run}`], min_bedrooms: 2, max_bedrooms: 2 },
      },
    });
    await page.goto(listingUrl);
    const swap = page.locator('.govuk-summary-card', { hasText: 'A two-way swap' });
    assert.deepEqual(await swap.locator('li').allInnerTexts(), [
      `Ann Lee ${run} moves into Bo Chan ${run}'s 3 bedroom house in south-${run}`,
      `Bo Chan ${run} moves into Ann Lee ${run}'s 2 bedroom flat in north-${run}`,
    ]);
    await accessible(page, `exchange-matches${tag}`, { javaScript });
    await swap.getByRole('button', { name: /Propose this exchange/ }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('h1').innerText(), 'Mutual exchange');
    assert.equal(await page.locator('.govuk-summary-list__row:has(dt:text-is("Landlords still to answer")) dd').innerText(), 'The council');
    await accessible(page, `exchange${tag}`, { javaScript });

    // No answer chosen: named on its field.
    await page.getByRole('button', { name: "Record the council's answer" }).click();
    assert.deepEqual(await problems(page), ['Select whether the council consents to the exchange']);
    await accessible(page, `exchange-consent-error${tag}`, { javaScript });
    await page.getByLabel('Yes, the council consents').check();
    await page.getByRole('button', { name: "Record the council's answer" }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('p .govuk-tag').innerText(), 'Approved: it goes ahead');
    assert.equal(await page.getByRole('button', { name: "Record the council's answer" }).count(), 0);
    await accessible(page, `exchange-approved${tag}`, { javaScript });
    await context.close();
  });

  test(`a senior officer records a decant and opens it, ${how}`, async () => {
    // A household of the demo's with no decant waiting for its move.
    const family = javaScript ? 'Underhill' : 'Brook';
    const { context, page } = await signIn('senior.officer', 'demo-senior', { javaScript, start: `/register?family_name=${family}` });
    const reference = (await page.locator('table.govuk-table tbody a').first().innerText()).trim();
    await page.goto(`${CONSOLE}/nominations`);
    await page.getByRole('link', { name: 'Decants', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Decants');
    assert.ok(await page.getByRole('link', { name: '1 Canal Estate' }).count(), "the demo's decant is listed");
    await accessible(page, `decants${tag}`, { javaScript });

    await page.getByRole('button', { name: 'Record a decant' }).click();
    await page.getByRole('button', { name: 'Record the decant' }).click();
    assert.deepEqual((await problems(page)).slice(0, 2), ["Enter the household's application reference", 'Enter the regeneration scheme']);
    await accessible(page, `decant-new-error${tag}`, { javaScript });
    await page.getByLabel('Application reference').fill(reference);
    await page.getByLabel('Regeneration scheme').fill('Tower Block regeneration');
    await page.getByLabel('Who is paid').fill(`Margaret ${family}`);
    await page.getByLabel('Home being left').fill(`${javaScript ? 7 : 9} Tower Block`);
    await page.getByLabel('Secure or assured tenants').check();
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('4');
    await page.getByLabel('Year').fill('2016');
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByRole('button', { name: 'Record the decant' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('h1').innerText(), `Decant from ${javaScript ? 7 : 9} Tower Block`);
    assert.equal(await page.locator('p .govuk-tag').innerText(), 'Awaiting its move');
    assert.match(await page.locator('main').innerText(), /None approved yet/);
    await accessible(page, `decant${tag}`, { javaScript });

    // Listed, and opened from the list afresh.
    await page.getByRole('link', { name: 'Back to decants' }).click();
    await page.getByRole('link', { name: `${javaScript ? 7 : 9} Tower Block` }).click();
    assert.equal(await page.locator('.govuk-notification-banner').count(), 0);
    assert.equal(await page.locator('.govuk-summary-list__row:has(dt:text-is("Regeneration scheme")) dd').innerText(), 'Tower Block regeneration');
    await context.close();
  });
}
