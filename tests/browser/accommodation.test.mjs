// Temporary accommodation in the officer console: the TA officer starts a placement
// request from a register application, ranks the units, places the household, signs them
// up (uploading and verifying the checklist's evidence) and closes the placement. Against
// the running demo stack (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, call, problems, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the TA officer matches, places, signs up and closes a placement, ${how}`, async () => {
    // A household on the register, as the allocations officer would find it.
    // A household each, so each run uploads its own evidence (evidence verified for a
    // household before meets its next checklist by itself).
    const { reference } = call('register', 'SearchApplications', 'alloc.officer', {
      status: 'APPLICATION_STATUS_ACTIVE',
      page_size: 2,
    }).applications[javaScript ? 0 : 1];

    const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
    assert.ok(await page.getByRole('link', { name: 'Placements awaiting sign-up' }).isVisible());
    await page.getByRole('link', { name: 'Temporary accommodation', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Temporary accommodation');
    assert.ok(await page.locator('table.govuk-table tbody tr a').count(), 'the demo placements');
    await accessible(page, `ta-placements${tag}`, { javaScript });
    await page.locator('.moj-sub-navigation__link', { hasText: 'day 35' }).click();
    await accessible(page, `ta-bnb-clock${tag}`, { javaScript });

    await page.getByRole('button', { name: 'Find accommodation for a household' }).click();
    await page.getByLabel('Application reference').fill('NO-SUCH-REFERENCE');
    await page.getByRole('button', { name: 'Find the application' }).click();
    assert.match((await problems(page)).join(' '), /No application has the reference/);
    await accessible(page, `ta-find-errors${tag}`, { javaScript });
    await page.getByLabel('Application reference').fill(reference);
    await page.getByRole('button', { name: 'Find the application' }).click();
    assert.ok(await page.locator(`text=From the housing register, application ${reference}`).isVisible());
    await page.getByRole('button', { name: 'Rank the units' }).click();
    const wrong = await problems(page);
    assert.equal(wrong.length, 2, wrong.join(' | '));
    await accessible(page, `ta-request-errors${tag}`, { javaScript });

    const today = new Date().toISOString().slice(0, 10);
    const [year, month, day] = today.split('-');
    await page.getByLabel('Main housing duty').check();
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
    // The officer says one more person than the register lists: temporary accommodation
    // names the difference, for the officer to confirm or take back.
    const people = await page.locator('table.govuk-table tbody tr').count();
    await page.locator('summary', { hasText: 'The household has changed' }).click();
    await page.getByLabel('People in the household now').fill(String(people + 1));
    await page.getByRole('button', { name: 'Rank the units' }).click();
    assert.match(
      (await problems(page)).join(' '),
      new RegExp(`lists ${people} (person|people); the request says ${people + 1} people`),
    );
    assert.ok(await page.getByLabel('I have checked these differences with the household').isVisible());
    await accessible(page, `ta-request-differences${tag}`, { javaScript });
    await page.getByLabel('People in the household now').fill('');

    await page.getByRole('button', { name: 'Rank the units' }).click();
    await page.waitForURL(/\/units$/);
    assert.equal(await page.locator('h1').innerText(), 'Units ranked for the household');
    const best = page.locator('.govuk-summary-card').first();
    assert.ok(await best.count(), 'a unit meets every hard constraint');
    if (javaScript) await best.locator('summary').click();
    assert.ok((await best.locator('.govuk-details__text li').count()) > 0, 'the constraints met, each explained');
    await accessible(page, `ta-ranked${tag}`, { javaScript });

    await best.getByRole('link', { name: /^Place here/ }).click();
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
    await page.getByRole('button', { name: 'Place the household' }).click();
    assert.match((await problems(page)).join(' '), /why you chose this unit/);
    await accessible(page, `ta-place-errors${tag}`, { javaScript });
    await page.getByLabel('Why this unit').fill('Best ranked; near the children\'s school');
    await page.getByRole('button', { name: 'Place the household' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Awaiting sign-up' }).isVisible());
    assert.ok(await page.locator('.moj-timeline__title', { hasText: 'Placed' }).isVisible());
    await accessible(page, `ta-placed${tag}`, { javaScript });
    const placement = page.url().split('?')[0];

    // Sign-up: the documents service opens the checklist when it hears of the placement.
    // (Evidence verified for the household before may complete it at once.)
    const opened = async () =>
      (await page.locator('.govuk-summary-card').count()) ||
      (await page.locator('.govuk-tag', { hasText: 'Active' }).count());
    for (let i = 0; i < 50 && !(await opened()); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await page.goto(placement);
    }
    const outstanding = await page.locator('form[enctype="multipart/form-data"]').count();
    if (outstanding) {
      // Nothing chosen: named against the file input.
      await page.locator('form[enctype="multipart/form-data"] button[type=submit]').first().click();
      await page.waitForSelector('.govuk-error-summary');
      assert.match((await problems(page)).join(' '), /Select a file/);
      await accessible(page, `ta-sign-up-errors${tag}`, { javaScript });
    }
    const pdf = Buffer.from('%PDF-1.4\n% a signed document\n%%EOF\n');
    for (let item = 0; item < outstanding; item += 1) {
      const form = page.locator('form[enctype="multipart/form-data"]').first();
      await form.locator('input[type=file]').setInputFiles({ name: `evidence-${item}.pdf`, mimeType: 'application/pdf', buffer: pdf });
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('.govuk-notification-banner');
      if (item === 0) await accessible(page, `ta-sign-up-uploaded${tag}`, { javaScript });
      await page.getByRole('button', { name: /^Verify/ }).first().click();
      await page.waitForSelector('.govuk-notification-banner');
    }
    // Every item done: the placement goes live when the accommodation service hears of it.
    for (let i = 0; i < 50 && !(await page.locator('.govuk-tag', { hasText: 'Active' }).count()); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await page.goto(placement);
    }
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Active' }).first().isVisible(), 'signed up and live');
    assert.ok(await page.locator('.moj-timeline__title', { hasText: 'Signed up' }).isVisible());
    await accessible(page, `ta-signed-up${tag}`, { javaScript });

    // A neighbour's concern about the home: logged, then escalated, each step kept.
    await page.getByRole('link', { name: 'Log a concern about the home' }).click();
    await page.getByRole('button', { name: 'Log the concern' }).click();
    assert.equal((await problems(page)).length, 2);
    await accessible(page, `ta-concern-errors${tag}`, { javaScript });
    await page.getByLabel('A neighbour').check();
    await page.getByLabel('What the concern is').fill('Water coming through the ceiling of the flat below');
    await page.getByRole('button', { name: 'Log the concern' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    await page.getByRole('link', { name: /^Act on it/ }).first().click();
    await page.getByLabel('Escalated to the senior property manager').check();
    await page.getByLabel('What was done, or why it is escalated').fill('Third leak this month: the provider has not repaired it');
    await page.getByRole('button', { name: 'Record it' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    const concern = page.locator('#concerns + .govuk-summary-card');
    assert.match(await concern.innerText(), /Escalated[\s\S]*Third leak this month[\s\S]*by you \(Tom Patel\)/);

    // Moving the household: the units ranked for it again, the one it is in left out.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10).split('-');
    const fillDate = async ([y, m, d]) => {
      await page.getByLabel('Day').fill(d);
      await page.getByLabel('Month').fill(m);
      await page.getByLabel('Year').fill(y);
    };
    await page.getByRole('button', { name: 'Move to another unit' }).click();
    await page.getByRole('button', { name: 'Move the household' }).click();
    assert.equal((await problems(page)).length, 3);
    await accessible(page, `ta-transfer-errors${tag}`, { javaScript });
    const movingTo = (await page.locator('.govuk-radios__label').first().innerText()).trim();
    await page.locator('.govuk-radios__input').first().check();
    await fillDate(tomorrow);
    await page.getByLabel('Why the household moves').fill('Cheaper leased stock nearer the school');
    await page.getByRole('button', { name: 'Move the household' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /household has been moved/);
    assert.match(await page.locator('table:has(caption:has-text("Stays")) tbody tr').last().innerText(), new RegExp(`^${movingTo}`));
    await accessible(page, `ta-transferred${tag}`, { javaScript });

    await page.getByRole('button', { name: 'Close the placement' }).click();
    await page.getByRole('button', { name: 'Close the placement' }).click();
    assert.equal((await problems(page)).length, 2);
    await accessible(page, `ta-close-errors${tag}`, { javaScript });
    await page.getByLabel('Moved out').check();
    await fillDate(tomorrow);
    await page.getByLabel('Note (optional)').fill('Moved in with family');
    await page.getByRole('button', { name: 'Close the placement' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Closed' }).first().isVisible());
    assert.equal(await page.getByRole('button', { name: 'Close the placement' }).count(), 0);
    await accessible(page, `ta-closed${tag}`, { javaScript });
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`a placement referred for rent arrears waits for the TA officer's decision, ${how}`, async () => {
    // A household whose account is clear falls ten weeks behind and is referred; the test
    // clears the debt again at the end, so every run refers a household afresh.
    const { accounts } = call('rent', 'ListAccounts', 'income.officer', {
      stage: 'ARREARS_STAGE_CLEAR',
      status: 'ACCOUNT_STATUS_OPEN',
      page_size: 1,
    });
    const { account } = accounts[0];
    const today = new Date().toISOString().slice(0, 10);
    const weekly = Number(account.weekly_charge_pence) + Number(account.weekly_service_charge_pence ?? 0);
    const owed = String(10 * weekly + Math.max(0, -Number(account.balance_pence ?? 0)));
    const adjust = (kind, reason) =>
      call('rent', 'PostAdjustment', 'income.officer', {
        request_id: crypto.randomUUID(),
        account_id: account.account_id,
        kind,
        amount_pence: owed,
        effective_date: today,
        reason,
      });
    adjust('ADJUSTMENT_KIND_DEBIT', 'Housing Benefit stopped ten weeks ago');
    try {
      await referredAndKept(account, today, { javaScript, tag });
    } finally {
      adjust('ADJUSTMENT_KIND_CREDIT', 'Housing Benefit paid from the date it stopped');
      call('rent', 'ReviewArrears', 'income.officer', { as_of: today });
    }
  });
}

/** The referral reaches the TA officer, who keeps the placement. */
async function referredAndKept(account, today, { javaScript, tag }) {
  call('rent', 'ReviewArrears', 'income.officer', { as_of: today });
  let review;
  for (let tries = 0; tries < 60 && !review; tries++) {
    const { reviews } = call('accommodation', 'ListClosureReviews', 'ta.officer', {
      status: 'CLOSURE_REVIEW_STATUS_OPEN',
      page_size: 100,
    });
    review = (reviews ?? []).find((r) => r.placement_id === account.placement_id);
    if (!review) await new Promise((done) => setTimeout(done, 500));
  }
  assert.ok(review, 'the referral opened a review of the placement');

  const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
  await page.getByRole('link', { name: 'Placements referred for rent arrears' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Placements referred for rent arrears');
  await accessible(page, `ta-arrears-queue${tag}`, { javaScript });
  await page.goto(`${CONSOLE}/accommodation/placements/${account.placement_id}`);
  assert.match(
    await page.locator('table:has(caption:has-text("Rent arrears referrals")) tbody tr').last().innerText(),
    /To decide/,
  );
  await page.getByRole('link', { name: 'Decide whether the placement continues' }).click();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  const wrong = await problems(page);
  assert.equal(wrong.length, 2, wrong.join(' | '));
  await accessible(page, `ta-arrears-decide-errors${tag}`, { javaScript });
  await page.getByLabel('Keep the placement').check();
  await page.getByLabel('Reason for the decision').fill('Housing Benefit claim restored from the date it stopped; the arrears will clear');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /rent arrears referral has been recorded/);
  const latest = page.locator('table:has(caption:has-text("Rent arrears referrals")) tbody tr').last();
  assert.match(await latest.innerText(), /Placement kept/);
  assert.equal(await page.locator('.govuk-tag', { hasText: /^Closed$/ }).count(), 0);
  await accessible(page, `ta-arrears-kept${tag}`, { javaScript });
  await context.close();
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the TA officer records a parent's consent to tell the child's school and GP, ${how}`, async () => {
    // A family with a child placed today: each run places one of its own.
    const today = new Date().toISOString().slice(0, 10);
    const { application } = call('register', 'SubmitApplication', 'alloc.officer', {
      request_id: crypto.randomUUID(),
      lead_applicant: {
        given_name: 'Nia', family_name: 'Okoro', date_of_birth: '1994-02-17',
        sex: 'SEX_FEMALE', relationship: 'RELATIONSHIP_LEAD_APPLICANT',
      },
      members: [{
        given_name: 'Tobi', family_name: 'Okoro', date_of_birth: '2020-05-03',
        sex: 'SEX_MALE', relationship: 'RELATIONSHIP_CHILD',
      }],
      details: {
        area: 'north', postcode: 'N7 2AB',
        circumstances: { current_bedrooms: 0, tenure: 'TENURE_NO_FIXED_ABODE', homeless: true, owed_homelessness_duty: true },
        local_connection: { years_resident: 3 },
        immigration_status: 'IMMIGRATION_STATUS_BRITISH_OR_IRISH_CITIZEN',
        finances: { annual_income_pence: 900_000, savings_pence: 0 },
        mobility: 'MOBILITY_CATEGORY_GENERAL_NEEDS',
      },
    });
    // The household is the register's: nothing retyped.
    const { placement_request: request } = call('accommodation', 'CreatePlacementRequest', 'ta.officer', {
      request_id: crypto.randomUUID(),
      placement_request: {
        application_id: application.application_id,
        duty: 'DUTY_TYPE_INTERIM',
        needed_from: today,
      },
    });
    assert.equal(request.lead_name, 'Nia Okoro');
    assert.ok(request.has_children && request.household_size === 2, JSON.stringify(request));
    const { ranked } = call('accommodation', 'RankUnits', 'ta.officer', {
      placement_request_id: request.placement_request_id,
    });
    assert.ok(ranked?.length, 'a unit for the family');
    const { placement } = call('accommodation', 'StartPlacement', 'ta.officer', {
      request_id: crypto.randomUUID(),
      placement_request_id: request.placement_request_id,
      unit_id: ranked[0].unit.unit_id,
      start_date: today,
      reason: 'ranked best for the family',
    });

    const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
    await page.goto(`${CONSOLE}/accommodation/placements/${placement.placement_id}`);
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Not yet asked' }).isVisible());
    await page.getByRole('link', { name: "Record the parent's answer" }).click();
    await page.getByRole('button', { name: 'Record the answer' }).click();
    assert.deepEqual(await problems(page), ['Select whether the parent consents']);
    await page.getByLabel('Yes, the parent consents').check();
    await page.getByRole('button', { name: 'Record the answer' }).click();
    assert.match((await problems(page)).join(' '), /name the school, the GP practice or the health visiting service/);
    await accessible(page, `ta-s213aa-errors${tag}`, { javaScript });
    await page.getByLabel('School or nursery').fill('Hill Primary School');
    await page.getByLabel('GP practice').fill('Mill Lane Surgery');
    await page.getByRole('button', { name: 'Record the answer' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /parent's answer has been recorded/);
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Consent given' }).isVisible());
    assert.match(await page.locator('.govuk-summary-list').filter({ hasText: 'School told' }).innerText(), /Hill Primary School/);
    assert.equal(await page.getByRole('link', { name: "Record the parent's answer" }).count(), 0);
    await accessible(page, `ta-s213aa-recorded${tag}`, { javaScript });
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the TA officer adds a provider and an agreement with one, ${how}`, async () => {
    const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
    await page.goto(`${CONSOLE}/accommodation`);
    await page.locator('.moj-sub-navigation__link', { hasText: 'Providers' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Providers');
    assert.ok((await page.locator('table.govuk-table tbody tr a').count()) >= 4, 'the demo providers');
    await accessible(page, `ta-providers${tag}`, { javaScript });
    await page.getByLabel('Name contains').fill('riverside');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.deepEqual(await page.locator('table.govuk-table tbody tr a').allInnerTexts(), ['Riverside Nightly']);

    // A provider of its own: the service names each field it refuses.
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await page.getByRole('button', { name: 'Add the provider' }).click();
    const missing = await problems(page);
    assert.equal(missing.length, 2, missing.join(' | '));
    assert.deepEqual(
      await page.locator('.govuk-error-summary__list a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#name', '#contact_email'],
    );
    await accessible(page, `ta-provider-new-errors${tag}`, { javaScript });
    const name = `Castle Lettings ${Date.now()}${tag}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Contact email').fill('bookings@castle.example');
    await page.getByRole('button', { name: 'Add the provider' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /provider has been added/);
    assert.equal(await page.locator('h1').innerText(), name);
    assert.match(await page.locator('main').innerText(), /No agreements recorded/);
    await accessible(page, `ta-provider-added${tag}`, { javaScript });

    // A demo provider: its contacts, agreements and units with their certificates' state.
    await page.getByRole('link', { name: 'Providers' }).first().click();
    await page.getByRole('link', { name: 'Riverside Nightly' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Riverside Nightly');
    const units = page.locator('table:has(th:has-text("Certificates")) tbody tr');
    assert.ok((await units.count()) > 0, 'its units');
    assert.match(await units.first().innerText(), /Certificates? (valid|expiring|lapsed)/);
    await accessible(page, `ta-provider${tag}`, { javaScript });

    // An agreement that ends before it starts: the service names the end date.
    const reference = `RN-${Date.now()}${tag}`;
    await page.getByRole('button', { name: 'Add an agreement' }).click();
    await page.getByLabel('Block booking').check();
    await page.getByLabel('Reference').fill(reference);
    const dates = async (legend, [day, month, year]) => {
      const group = page.getByRole('group', { name: legend });
      await group.getByLabel('Day').fill(day);
      await group.getByLabel('Month').fill(month);
      await group.getByLabel('Year').fill(year);
    };
    await dates('Starts on', ['1', '4', '2026']);
    await dates('Ends on', ['31', '3', '2026']);
    await page.getByRole('button', { name: 'Add the agreement' }).click();
    const wrong = await problems(page);
    assert.equal(wrong.length, 1, wrong.join(' | '));
    assert.match(wrong[0], /is not after the start/);
    assert.equal(await page.locator('.govuk-error-summary__list a').getAttribute('href'), '#agreement-ends_on');
    assert.equal(await page.getByLabel('Reference').inputValue(), reference, 'the answers kept');
    await accessible(page, `ta-agreement-errors${tag}`, { javaScript });
    await dates('Ends on', ['31', '3', '2029']);
    await page.getByRole('button', { name: 'Add the agreement' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /agreement has been added/);
    const row = page.locator('table:has(th:has-text("Reference")) tbody tr', { hasText: reference });
    assert.match(await row.innerText(), /Block booking\s+1 April 2026\s+31 March 2029\s+In force/);
    await accessible(page, `ta-agreement-added${tag}`, { javaScript });
    await context.close();
  });

  test(`the TA officer renews a unit's certificate and withdraws a unit, ${how}`, async () => {
    const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
    await page.goto(`${CONSOLE}/accommodation`);
    await page.locator('.moj-sub-navigation__link', { hasText: 'Units' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Units');
    const rows = page.locator('table.govuk-table tbody tr');
    assert.equal(await rows.count(), 25, 'a page of units');
    assert.ok(await page.getByRole('link', { name: 'Next page' }).isVisible());
    await accessible(page, `ta-units${tag}`, { javaScript });
    await page.getByLabel('Provider').selectOption({ label: 'Harbour Hostels' });
    await page.getByRole('button', { name: 'Show units' }).click();
    assert.deepEqual(new Set(await rows.locator('td:nth-child(2)').allInnerTexts()), new Set(['Harbour Hostels']));

    // A vacant unit, the last registered first: one a household lives in is not withdrawn.
    const listed = page.url();
    let vacant = false;
    for (let i = (await rows.count()) - 1; i >= 0 && !vacant; i -= 1) {
      await page.goto(listed);
      await rows.nth(i).locator('a').click();
      vacant = (await page.locator('.govuk-tag', { hasText: 'Vacant' }).count()) > 0;
    }
    assert.ok(vacant, 'a vacant unit');
    const certificates = page.locator('table:has(caption:has-text("Certificates")) tbody tr');
    assert.ok((await certificates.count()) >= 3, 'the unit\'s certificates');
    assert.match(await certificates.first().innerText(), /\t(Valid|Expires within 30 days|Lapsed)\t/);
    await accessible(page, `ta-unit${tag}`, { javaScript });

    // The gas safety certificate renewed: first with an expiry before it was issued.
    const gas = certificates.filter({ hasText: 'Gas safety' });
    await gas.getByRole('link', { name: /^Renew/ }).click();
    assert.ok(await page.getByLabel('Gas safety').isChecked(), 'the certificate chosen on the unit');
    const now = new Date();
    const today = [String(now.getDate()), String(now.getMonth() + 1), String(now.getFullYear())];
    const dates = async (legend, [day, month, year]) => {
      const group = page.getByRole('group', { name: legend });
      await group.getByLabel('Day').fill(day);
      await group.getByLabel('Month').fill(month);
      await group.getByLabel('Year').fill(year);
    };
    await dates('Issued on', today);
    await dates('Expires on', [today[0], today[1], String(now.getFullYear() - 1)]);
    await page.getByRole('button', { name: 'Renew the certificate' }).click();
    const wrong = await problems(page);
    assert.equal(wrong.length, 1, wrong.join(' | '));
    assert.equal(await page.locator('.govuk-error-summary__list a').getAttribute('href'), '#certificate-expires_on');
    await accessible(page, `ta-renew-errors${tag}`, { javaScript });
    await dates('Expires on', [today[0], today[1], String(now.getFullYear() + 1)]);
    await page.getByRole('button', { name: 'Renew the certificate' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /certificate has been renewed/);
    assert.match(await gas.innerText(), /Valid/);
    assert.match(await page.locator('.moj-timeline__title').first().innerText(), /Certificate renewed/);
    await accessible(page, `ta-renewed${tag}`, { javaScript });

    // Withdrawn, once the officer says why; never offered again.
    await page.getByRole('button', { name: 'Withdraw the unit' }).click();
    await page.getByRole('button', { name: 'Withdraw the unit' }).click();
    assert.deepEqual(await problems(page), ['Enter why the unit is withdrawn']);
    await accessible(page, `ta-withdraw-errors${tag}`, { javaScript });
    await page.getByLabel('Why the unit is withdrawn').fill('Lease handed back to the landlord');
    await page.getByRole('button', { name: 'Withdraw the unit' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /unit has been withdrawn/);
    assert.ok(await page.locator('.govuk-tag', { hasText: 'Withdrawn on' }).isVisible());
    assert.equal(await page.getByRole('button', { name: 'Withdraw the unit' }).count(), 0);
    await accessible(page, `ta-withdrawn${tag}`, { javaScript });
    await context.close();
  });

  test(`the TA officer reads the optimiser's proposed moves and makes one, ${how}`, async () => {
    const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
    // The optimiser weighs active placements only, and the demo's are still awaiting
    // sign-up: before any is signed up it proposes nothing, and says so.
    const active = call('accommodation', 'ListPlacements', 'ta.officer', {
      status: 'PLACEMENT_STATUS_ACTIVE',
      page_size: 1,
    });
    if (!active.placements?.length) {
      await page.goto(`${CONSOLE}/accommodation/optimiser`);
      assert.match(await page.locator('main').innerText(), /No move would lower the cost and unsuitability/);
      await accessible(page, `ta-optimiser-none${tag}`, { javaScript });
    }
    // A household placed a week ago in the unit ranked worst for it, then signed up.
    const placement = placedBadly();
    await page.goto(`${CONSOLE}/accommodation/placements/${placement}`);
    await signUp(page);

    await page.goto(`${CONSOLE}/accommodation`);
    await page.locator('.moj-sub-navigation__link', { hasText: 'Proposed moves' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Proposed moves');
    await accessible(page, `ta-optimiser${tag}`, { javaScript });
    const moves = page.locator('main .govuk-summary-card');
    const ours = moves.filter({ has: page.locator(`a[href="/accommodation/placements/${placement}"]`) });
    assert.equal(await ours.count(), 1, 'a move for the household placed badly');
    if (javaScript) await ours.locator('summary').click();
    assert.ok((await ours.locator('.govuk-details__text tbody tr').count()) >= 2, 'each part explained');
    const title = await ours.locator('.govuk-summary-card__title').innerText();
    await ours.getByRole('button', { name: /^Move the household from today/ }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /household has been moved/);
    assert.ok(!(await page.locator('.govuk-summary-card__title').allInnerTexts()).includes(title), 'proposed afresh');
    await accessible(page, `ta-optimiser-moved${tag}`, { javaScript });
    await context.close();
  });
}

/** A single adult on the register, placed a week ago in the unit ranked worst for them. */
function placedBadly() {
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const { application } = call('register', 'SubmitApplication', 'alloc.officer', {
    request_id: crypto.randomUUID(),
    lead_applicant: {
      given_name: 'Kofi', family_name: 'Boateng', date_of_birth: '1988-09-12',
      sex: 'SEX_MALE', relationship: 'RELATIONSHIP_LEAD_APPLICANT',
    },
    members: [],
    details: {
      area: 'north', postcode: 'N7 3CD',
      circumstances: { current_bedrooms: 0, tenure: 'TENURE_NO_FIXED_ABODE', homeless: true, owed_homelessness_duty: true },
      local_connection: { years_resident: 4 },
      immigration_status: 'IMMIGRATION_STATUS_BRITISH_OR_IRISH_CITIZEN',
      finances: { annual_income_pence: 1_200_000, savings_pence: 0 },
      mobility: 'MOBILITY_CATEGORY_GENERAL_NEEDS',
    },
  });
  const { placement_request: request } = call('accommodation', 'CreatePlacementRequest', 'ta.officer', {
    request_id: crypto.randomUUID(),
    placement_request: {
      application_id: application.application_id,
      duty: 'DUTY_TYPE_INTERIM',
      needed_from: day(-7),
    },
  });
  const { ranked } = call('accommodation', 'RankUnits', 'ta.officer', {
    placement_request_id: request.placement_request_id,
    page_size: 100,
  });
  assert.ok(ranked?.length > 1, 'units to choose between');
  const { placement } = call('accommodation', 'StartPlacement', 'ta.officer', {
    request_id: crypto.randomUUID(),
    placement_request_id: request.placement_request_id,
    unit_id: ranked.at(-1).unit.unit_id,
    start_date: day(-7),
    reason: 'the only unit free that night',
  });
  return placement.placement_id;
}

/** The placement open in `page` signed up: each checklist item's evidence uploaded and verified. */
async function signUp(page) {
  const placement = page.url();
  const opened = async () =>
    (await page.locator('.govuk-summary-card').count()) ||
    (await page.locator('.govuk-tag', { hasText: 'Active' }).count());
  for (let i = 0; i < 50 && !(await opened()); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await page.goto(placement);
  }
  const pdf = Buffer.from('%PDF-1.4\n% a signed document\n%%EOF\n');
  const outstanding = await page.locator('form[enctype="multipart/form-data"]').count();
  for (let item = 0; item < outstanding; item += 1) {
    const form = page.locator('form[enctype="multipart/form-data"]').first();
    await form.locator('input[type=file]').setInputFiles({ name: `evidence-${item}.pdf`, mimeType: 'application/pdf', buffer: pdf });
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('.govuk-notification-banner');
    await page.getByRole('button', { name: /^Verify/ }).first().click();
    await page.waitForSelector('.govuk-notification-banner');
  }
  for (let i = 0; i < 50 && !(await page.locator('.govuk-tag', { hasText: 'Active' }).count()); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await page.goto(placement);
  }
  assert.ok(await page.locator('.govuk-tag', { hasText: 'Active' }).first().isVisible(), 'signed up and live');
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the TA officer reads the voids of block-booked units over a period, ${how}`, async () => {
    const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript, start: '/accommodation' });
    await page.getByRole('navigation', { name: 'Temporary accommodation' }).getByRole('link', { name: 'Voids' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Voids');
    const period = page.getByRole('navigation', { name: 'Period' });
    assert.equal(await period.locator('[aria-current=page]').innerText(), 'Last 4 weeks');
    const figure = (key) => page.locator(`.govuk-summary-list__row:has(dt:text-is("${key}")) dd`).innerText();
    // The demo's units were all added today, so none has stood empty a night yet.
    assert.match(await page.locator('main p', { hasText: /^Nights from / }).innerText(), /^Nights from \d+ \w+ \d{4} to \d+ \w+ \d{4}\.$/);
    assert.equal(await figure('Void nights'), '0');
    assert.equal(await figure('Void loss'), '£0.00');
    assert.ok(await page.getByRole('cell', { name: 'No block-booked unit stood empty in this period.' }).isVisible());
    await accessible(page, `voids${tag}`, { javaScript });

    await period.getByRole('link', { name: 'This financial year' }).click();
    assert.equal(await period.locator('[aria-current=page]').innerText(), 'This financial year');
    assert.match(await page.locator('main p', { hasText: /^Nights from / }).innerText(), /^Nights from 1 April \d{4} to /);
    assert.equal((await page.goto(`${CONSOLE}/accommodation/voids?period=decade`)).status(), 404);
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the TA officer follows providers' invoices, which only a manager approves, ${how}`, async () => {
    let { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript, start: '/accommodation' });
    await page.getByRole('navigation', { name: 'Temporary accommodation' }).getByRole('link', { name: 'Invoices' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Invoices');
    assert.equal(
      await page.getByRole('navigation', { name: 'Invoices by state' }).locator('[aria-current=page]').innerText(),
      'Awaiting approval',
    );
    // The demo's provider billed £20 more than the nights the council's records show.
    const invoice = page.locator('tbody tr', { hasText: 'INV-2026-0412' });
    const [, nights, billed, records, state] = await invoice.locator('td').allInnerTexts();
    assert.match(nights, /, 7 nights$/);
    const pounds = (text) => Number(text.match(/£([\d,]+\.\d\d)/)[1].replace(/,/g, ''));
    assert.equal(pounds(billed) - pounds(records), 20);
    assert.match(records, /Differs/);
    assert.match(state, /Awaiting approval/);
    assert.equal(await invoice.getByRole('link', { name: /Check the lines and approve/ }).count(), 0);
    await accessible(page, `invoices${tag}`, { javaScript });
    await page.getByRole('link', { name: 'Approved', exact: true }).click();
    assert.equal(await page.locator('tbody tr', { hasText: 'INV-2026-0412' }).count(), 0);
    await context.close();

    // A manager is offered the approval from here.
    ({ context, page } = await signIn('manager', 'demo-manager', { javaScript, start: '/accommodation/invoices' }));
    await page.locator('tbody tr', { hasText: 'INV-2026-0412' }).getByRole('link', { name: /Check the lines and approve/ }).click();
    assert.match(await page.locator('h1').innerText(), /^Approve the invoice INV-2026-0412 from /);
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`My work counts the s.208 notices due and the certificates to renew, each opening its list, ${how}`, async () => {
    // The demo's certificates all run from today, so none has lapsed: one unit's gas safety
    // certificate is recorded as having expired yesterday, and put back afterwards.
    const [unit] = call('accommodation', 'ListUnits', 'ta.officer', { page_size: 1 }).units;
    const gas = unit.certificates.find((c) => c.kind === 'CERTIFICATE_KIND_GAS_SAFETY');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const renew = (certificate) =>
      call('accommodation', 'RenewCertificate', 'ta.officer', { unit_id: unit.unit_id, certificate });
    // Nor has the demo placed anyone out of district: a household is placed in the
    // neighbouring borough 15 days ago, its s.208 notice a day overdue, and moved out after.
    const { application_id } = call('register', 'SearchApplications', 'alloc.officer', {
      status: 'APPLICATION_STATUS_ACTIVE',
      page_size: 4,
    }).applications[javaScript ? 2 : 3];
    const placedOn = new Date(Date.now() - 15 * 86_400_000).toISOString().slice(0, 10);
    const { placement_request } = call('accommodation', 'CreatePlacementRequest', 'ta.officer', {
      request_id: crypto.randomUUID(),
      placement_request: {
        application_id,
        duty: 'DUTY_TYPE_INTERIM',
        anchors: [{ latitude: 51.55, longitude: -0.1 }],
        needed_from: placedOn,
      },
    });
    const away = call('accommodation', 'RankUnits', 'ta.officer', {
      placement_request_id: placement_request.placement_request_id,
      page_size: 100,
    }).ranked.find((r) => r.unit.local_authority !== 'Example Borough').unit;
    const { placement } = call('accommodation', 'StartPlacement', 'ta.officer', {
      request_id: crypto.randomUUID(),
      placement_request_id: placement_request.placement_request_id,
      unit_id: away.unit_id,
      start_date: placedOn,
      reason: 'the only unit free that night',
    });
    try {
      renew({ ...gas, expires_on: yesterday });
      const { context, page } = await signIn('ta.officer', 'demo-ta', { javaScript });
      const count = async (name) => {
        const row = page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });
        const cases = await row.locator('td').nth(1).innerText();
        assert.match(cases, /^\d+( or more)?$/, `${name}: ${cases}`);
        return cases;
      };
      const certificates = await count('Units with certificates expiring or lapsed');
      const s208 = await count('s.208 notices due');
      assert.notEqual(s208, '0', 'the household placed out of district');
      assert.notEqual(certificates, '0', 'the lapsed certificate at least');
      await accessible(page, `ta-home-queues${tag}`, { javaScript });

      // Each unit listed has a certificate expiring or lapsed, the unit made lapsed among them.
      await page.getByRole('link', { name: 'Units with certificates expiring or lapsed' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Units');
      const tabs = page.getByRole('navigation', { name: 'Units by their certificates' });
      assert.equal(await tabs.locator('[aria-current=page]').innerText(), 'Certificates expiring or lapsed');
      const standings = await page.locator('tbody tr td:last-child').allInnerTexts();
      if (!certificates.endsWith('or more')) assert.equal(String(standings.length), certificates);
      for (const standing of standings) assert.match(standing, /^Certificate (expiring|lapsed)$/);
      await accessible(page, `ta-units-renew${tag}`, { javaScript });
      await tabs.getByRole('link', { name: 'Certificate lapsed', exact: true }).click();
      const lapsed = page.locator('tbody tr', { hasText: unit.address });
      assert.ok(await lapsed.first().isVisible(), 'the unit with the lapsed certificate');
      for (const standing of await page.locator('tbody tr td:last-child').allInnerTexts()) {
        assert.equal(standing, 'Certificate lapsed');
      }
      await tabs.getByRole('link', { name: 'Certificate expiring', exact: true }).click();
      assert.equal(await tabs.locator('[aria-current=page]').innerText(), 'Certificate expiring');
      for (const standing of await page.locator('tbody tr td:last-child .govuk-tag').allInnerTexts()) {
        assert.equal(standing, 'Certificate expiring');
      }
      await tabs.getByRole('link', { name: 'All units' }).click();
      assert.ok((await page.locator('tbody tr', { hasText: 'Certificates valid' }).count()) > 0);

      // Each placement listed has its s.208 notice outstanding, with the day it is due.
      await page.goto(CONSOLE);
      await page.getByRole('link', { name: 's.208 notices due', exact: true }).click();
      assert.equal(
        await page.getByRole('navigation', { name: 'Placements by state' }).locator('[aria-current=page]').innerText(),
        's.208 notices due',
      );
      const notices = await page.locator('tbody tr td:last-child').allInnerTexts();
      if (!s208.endsWith('or more')) assert.equal(String(notices.length), s208);
      for (const notice of notices) assert.match(notice, /^(Overdue: was due|Due) \d+ \w+ \d{4}$/);
      const overdue = page.locator('tbody tr', {
        has: page.locator(`a[href="/accommodation/placements/${placement.placement_id}"]`),
      });
      assert.match(await overdue.locator('td:last-child').innerText(), /^Overdue: was due \d+ \w+ \d{4}$/);
      await accessible(page, `ta-s208-due${tag}`, { javaScript });
      await context.close();
    } finally {
      renew(gas);
      call('accommodation', 'ClosePlacement', 'ta.officer', {
        placement_id: placement.placement_id,
        reason: 'CLOSURE_REASON_MOVED_OUT',
        end_date: new Date().toISOString().slice(0, 10),
        note: 'moved in with family',
      });
    }
  });
}
