// The register in the officer console, in Debian's headless Chromium against the running
// stack (the five services, PostgreSQL, NATS, the OpenID provider and the console), signed
// in through the provider's login page as the demo officers (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, chromiumBrowser, problems, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? 'js' : 'nojs';

  test(`the register officer finds an application and reads why it stands where it does, ${how}`, async () => {
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript });
    await page.waitForSelector('h1');
    assert.equal(await page.locator('h1').innerText(), 'My work');
    assert.equal(await page.title(), 'My work – Housing allocations');
    await accessible(page, `home-${tag}`, { javaScript });

    await page.getByRole('link', { name: 'Register', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Search the register');
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForSelector('table.govuk-table');
    await accessible(page, `register-search-${tag}`, { javaScript });

    await page.locator('table.govuk-table tbody a').first().click();
    await page.waitForSelector('h2:has-text("Assessment")');
    assert.ok(await page.locator('text=Scheme version').isVisible());
    assert.ok((await page.locator('h3:has-text("Why") + ul li').count()) > 0, 'the rules that fired');
    await accessible(page, `application-${tag}`, { javaScript });
    await context.close();
  });
}

test('the register assistant takes an application in; the officer records the missing answers, assesses it and reads why', async () => {
  let { context, page } = await signIn('reg.assistant', 'demo-register');
  await page.goto(`${CONSOLE}/register`);
  await page.getByRole('link', { name: 'Take in an application' }).click();
  await accessible(page, 'take-in');

  // Nothing filled in: every problem named, each linking to its field.
  await page.getByRole('button', { name: 'Take in the application' }).click();
  assert.match(await page.title(), /^Error: Take in an application/);
  const problems = await page.locator('.govuk-error-summary__list li').allInnerTexts();
  assert.ok(problems.some((p) => /date of birth/i.test(p)), problems.join(' | '));
  assert.ok(problems.some((p) => /sex/i.test(p)), problems.join(' | '));
  await accessible(page, 'take-in-errors');

  const family = `Browser${Date.now()}`;
  await page.getByLabel('Given name').fill('Ada');
  await page.getByLabel('Family name').fill(family);
  await page.getByLabel('Day').fill('2');
  await page.getByLabel('Month').fill('3');
  await page.getByLabel('Year').fill('1988');
  await page.getByLabel('Female').check();
  await page.getByLabel('Area of the district').fill('north');
  await page.getByLabel('Postcode').fill('N7 2AB');
  await page.getByRole('button', { name: 'Take in the application' }).click();
  await page.waitForSelector('h2:has-text("What is missing")');
  assert.equal(await page.locator('h1').innerText(), `Ada ${family}`);
  await accessible(page, 'taken-in');
  const application = new URL(page.url()).pathname;
  // An assistant takes in; an officer records answers and assesses.
  assert.equal(await page.getByRole('link', { name: "Record the applicant's answers" }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Assess now' }).count(), 0);
  await context.close();

  ({ context, page } = await signIn('alloc.officer', 'demo-allocations', { start: application }));
  await page.getByRole('link', { name: "Record the applicant's answers" }).click();
  await accessible(page, 'answers');
  await page.getByLabel('How the household lives now').selectOption('private_rented');
  await page.getByLabel('Current address').fill('14 Mill Lane, London');
  await page.getByLabel('Bedrooms in the current home').fill('1');
  await page.getByLabel('Years lived in the district').fill('6');
  await page.getByLabel('Immigration status of the lead applicant').selectOption('british_or_irish_citizen');
  await page.getByLabel('Household income a year, in pounds').fill('not money');
  await page.getByLabel('Household savings, in pounds').fill('1,200');
  await page.getByLabel('Access the household needs').selectOption('general_needs');
  await page.getByRole('button', { name: 'Save answers' }).click();
  // The income is not money, and how the council heard is missing: both named.
  const errors = await page.locator('.govuk-error-summary__list li').allInnerTexts();
  assert.equal(errors.length, 2, errors.join(' | '));
  assert.match(errors.join(' '), /income a year in pounds/);
  assert.match(errors.join(' '), /how the council heard/);
  await accessible(page, 'answers-errors');
  await page.getByLabel('Household income a year, in pounds').fill('18500');
  await page.getByLabel('How the council heard these answers').fill('Phone call with the applicant');
  await page.getByRole('button', { name: 'Save answers' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.equal(await page.locator('h2:has-text("What is missing")').count(), 0, 'nothing is missing now');
  const officer = { context, page };
  await officer.page.getByRole('button', { name: 'Assess now' }).click();
  await officer.page.waitForSelector('.govuk-notification-banner');
  const band = await officer.page.locator('.govuk-summary-list__row:has(dt:text-is("Band")) dd').innerText();
  assert.match(band, /^[A-D]$/, `a band, not ${band}`);
  assert.ok((await officer.page.locator('h3:has-text("Why") + ul li').count()) > 0, 'the rules that fired');
  assert.match(
    await officer.page.locator('.govuk-summary-list__row:has(dt:text-is("Assessed")) dd').innerText(),
    /by you \(Alan Okafor\)/,
  );
  await accessible(officer.page, 'assessed');

  // An override needs its reason; with it, the band changes and the reason joins the why.
  await officer.page.getByRole('link', { name: 'Override the assessment' }).click();
  await officer.page.getByRole('button', { name: 'Override the assessment' }).click();
  const missing = await officer.page.locator('.govuk-error-summary__list li').allInnerTexts();
  assert.ok(missing.some((m) => /reason/i.test(m)), missing.join(' | '));
  await accessible(officer.page, 'override-errors');
  await officer.page.getByLabel('Band').fill('B');
  await officer.page.getByLabel('Reason for the override').fill('Violence at home: immediate risk');
  await officer.page.getByRole('button', { name: 'Override the assessment' }).click();
  await officer.page.waitForSelector('.govuk-notification-banner');
  assert.equal(
    await officer.page.locator('.govuk-summary-list__row:has(dt:text-is("Band")) dd').innerText(),
    'B',
  );
  assert.ok(await officer.page.locator('li:has-text("Overridden: Violence at home: immediate risk")').isVisible());
  await accessible(officer.page, 'overridden');

  // A status change needs the status and the reason; an allocations officer may end an
  // application (suspending it is a senior officer's decision, not offered here).
  await officer.page.getByRole('link', { name: 'Change the status' }).click();
  await accessible(officer.page, 'status');
  assert.equal(await officer.page.getByLabel('Suspend', { exact: true }).count(), 0, 'not offered');
  await officer.page.getByRole('button', { name: 'Change the status' }).click();
  const wanting = await officer.page.locator('.govuk-error-summary__list li').allInnerTexts();
  assert.ok(wanting.some((m) => /select the status/i.test(m)), wanting.join(' | '));
  await accessible(officer.page, 'status-errors');
  await officer.page.getByLabel('Withdrawn', { exact: true }).check();
  await officer.page.getByLabel('Reason', { exact: true }).fill('The applicant found a home privately');
  await officer.page.getByRole('button', { name: 'Change the status' }).click();
  await officer.page.waitForSelector('.govuk-notification-banner');
  assert.match(await officer.page.locator('.govuk-notification-banner').innerText(), /status has been changed/);
  assert.ok(await officer.page.locator('.govuk-tag:has-text("Withdrawn")').first().isVisible(), 'shown as withdrawn');
  // An application that has ended is kept to read, with nothing more offered on it.
  assert.equal(await officer.page.getByRole('button', { name: 'Assess now' }).count(), 0);
  assert.equal(await officer.page.getByRole('link', { name: 'Change the status' }).count(), 0);
  await accessible(officer.page, 'withdrawn');
  await officer.context.close();
});

test('an officer assesses an application awaiting assessment, and a reload does not assess again', async () => {
  const { context, page } = await signIn('alloc.officer', 'demo-allocations');
  await page.goto(`${CONSOLE}/register?status=submitted`);
  const first = page.locator('table.govuk-table tbody a').first();
  if ((await first.count()) === 0) {
    await context.close();
    return; // the demo borough assessed everyone on the way in
  }
  await first.click();
  await page.getByRole('button', { name: 'Assess now' }).click();
  await page.waitForSelector('.govuk-notification-banner, .govuk-error-summary');
  await accessible(page, 'application-assessed');
  await context.close();
});

test('the session cookie is Secure, HttpOnly and SameSite; a forged form is refused; sign-out ends access', async () => {
  const { context, page } = await signIn('alloc.officer', 'demo-allocations');
  const session = (await context.cookies()).find((c) => c.name === 'console_session');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Lax');

  // A form posted without the session's CSRF token, or with another, as another site's
  // page would post it.
  await page.goto(`${CONSOLE}/register?status=active`);
  await page.locator('table.govuk-table tbody a').first().click();
  const application = page.url();
  for (const forge of [
    (input) => { input.value = 'not-the-token'; },
    (input) => input.remove(),
  ]) {
    await page.goto(application);
    await page.locator('form[action$="/assess"] input[name=csrf_token]').evaluate(forge);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/assess')),
      page.getByRole('button', { name: 'Assess now' }).click(),
    ]);
    assert.equal(response.status(), 403);
    assert.equal(await page.locator('h1').innerText(), 'Sorry, that form could not be accepted');
  }
  await accessible(page, 'forged-form');
  await page.goto(application);

  await page.getByRole('link', { name: /Sign out/ }).click();
  await page.waitForURL(/signed-out|session\/end/);
  // The provider asks to confirm signing out of it too.
  const confirm = page.getByRole('button', { name: /yes|sign out/i });
  if (await confirm.count()) await confirm.first().click();
  await page.waitForURL(`${CONSOLE}/signed-out`);
  assert.equal(await page.locator('h1').innerText(), 'You have signed out');
  await accessible(page, 'signed-out');
  // Nothing of the console opens now: the provider asks for a sign-in again.
  await page.goto(`${CONSOLE}/register`);
  assert.ok(!page.url().startsWith(CONSOLE), `signed out, yet at ${page.url()}`);
  assert.ok(await page.getByLabel('Password').isVisible());
  await context.close();
});

test('an officer whose roles do not open the register is refused its pages', async () => {
  const { context, page } = await signIn('ta.officer', 'demo-ta');
  const response = await page.goto(`${CONSOLE}/register`);
  assert.equal(response.status(), 403);
  assert.equal(await page.locator('h1').innerText(), 'You cannot do this');
  await accessible(page, 'forbidden');
  await context.close();
});

test('the register officer signs in, searches and opens an application by keyboard alone', async () => {
  const context = await chromiumBrowser.browser.newContext();
  const page = await context.newPage();
  const press = (key) => page.keyboard.press(key);
  /** Tabs forward until the focused element matches `test`, failing after `limit` presses. */
  async function tabTo(description, test, limit = 40) {
    for (let i = 0; i < limit; i += 1) {
      await press('Tab');
      if (await page.evaluate(test)) return;
    }
    assert.fail(`could not reach ${description} by Tab`);
  }

  await page.goto(CONSOLE);
  // The provider's sign-in page puts focus in the username field; typing waits for it.
  await page.waitForFunction(() => document.activeElement?.id === 'username');
  await page.keyboard.type('alloc.officer');
  await press('Tab');
  await page.keyboard.type('demo-allocations');
  await press('Enter');
  await page.waitForURL(`${CONSOLE}/`);

  // The skip link comes first, as the Design System has it.
  await press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to main content');
  await tabTo('the Register link', () => document.activeElement.textContent.trim() === 'Register');
  await Promise.all([page.waitForURL(`${CONSOLE}/register`), press('Enter')]);

  await tabTo('the status list', () => document.activeElement.id === 'status');
  // A closed select takes the first letter of an option: "Active".
  await page.keyboard.type('Active');
  await tabTo('the Search button', () => document.activeElement.textContent.trim() === 'Search');
  await Promise.all([page.waitForURL(/status=active/), press('Enter')]);

  await tabTo('the first result', () => document.activeElement.closest('tbody') !== null);
  await Promise.all([page.waitForURL(/\/register\/applications\//), press('Enter')]);
  assert.equal(await page.locator('h2:has-text("Assessment")').count(), 1);
  await accessible(page, 'keyboard-application');
  await context.close();
});

test('the manager approves an under-occupation incentive and decant payments from the queue; an officer without the role can neither see nor post one', async () => {
  // The allocations officer has no approvals: not in the menu, the page refused, a post
  // refused even with the officer's own valid CSRF token.
  let { context, page } = await signIn('alloc.officer', 'demo-allocations', { start: '/nominations' });
  assert.equal(await page.getByRole('link', { name: 'Approvals' }).count(), 0);
  assert.equal((await page.goto(`${CONSOLE}/approvals/incentives/00000000-0000-0000-0000-000000000000`)).status(), 403);
  await page.goto(`${CONSOLE}/nominations`);
  const [forged] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/approvals/decants/')),
    page.evaluate(async () => {
      const html = await fetch('/nominations/vacancies/00000000-0000-0000-0000-000000000000/advert').then((r) => r.text());
      const token = new DOMParser().parseFromString(html, 'text/html').querySelector('input[name=csrf_token]').value;
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/approvals/decants/00000000-0000-0000-0000-000000000000';
      form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'csrf_token', value: token }));
      document.body.append(form);
      form.submit();
    }),
  ]);
  assert.equal(forged.status(), 403);
  await page.waitForURL(/\/approvals\/decants\//);
  assert.equal(await page.locator('h1').innerText(), 'You cannot do this');
  await context.close();

  // The demo's council tenant who moved from three bedrooms to one, and its household
  // decanted from the Canal Estate, both moved: each waits in the queue and is counted on
  // the home page.
  ({ context, page } = await signIn('manager', 'demo-manager', { start: '/register?family_name=Underhill' }));
  const reference = (await page.locator('table.govuk-table tbody a').first().innerText()).trim();
  await page.goto(CONSOLE);
  const count = (name) => page.locator('tr', { has: page.getByRole('link', { name, exact: true }) }).locator('td').nth(1).innerText();
  for (const name of [
    'Under-occupation incentives awaiting approval',
    'Decant payments awaiting approval',
    "Providers' invoices awaiting approval",
  ]) {
    assert.ok(Number(await count(name)) >= 1, `${name} counted`);
  }
  await accessible(page, 'home-manager');
  await page.getByRole('link', { name: 'Under-occupation incentives awaiting approval' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Approvals');
  const incentive = page.locator('.govuk-summary-card', { hasText: `Under-occupation incentive for ${reference}` });
  assert.match(await incentive.innerText(), /Moved from 3 bedrooms to 1 bedroom on .*, releasing 2 bedrooms\./);
  assert.match(await incentive.locator('h3').innerText(), /: £[\d,]+\.\d\d$/);
  const decant = page.locator('.govuk-summary-card', { hasText: 'Decant payments for Margaret Brook' });
  assert.match(await decant.innerText(), /Moved out of 1 Canal Estate \(Canal Estate regeneration\)/);
  await accessible(page, 'approvals-queue');

  await incentive.getByRole('link', { name: /Check the move and approve/ }).click();
  assert.equal(await page.locator('h1').innerText(), 'Approve an under-occupation incentive');
  const row = (key) => page.locator(`.govuk-summary-list__row:has(dt:text-is("${key}")) dd`).innerText();
  assert.equal(await row('Home left'), 'Council tenant, 3 bedrooms');
  assert.match(await row('Moved through'), /A nomination of/);
  assert.equal(await page.getByLabel('Who is paid').inputValue(), 'Margaret Underhill');
  await accessible(page, 'approval-incentive');
  await page.getByLabel('Who is paid').fill('');
  await page.getByRole('button', { name: 'Approve the incentive' }).click();
  assert.deepEqual(await problems(page), ['Enter who is paid']);
  await page.getByLabel('Who is paid').fill('Margaret Underhill');
  await page.getByRole('button', { name: 'Approve the incentive' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.equal(await page.locator('h1').innerText(), 'Approvals');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Approved/);
  assert.equal(await incentive.count(), 0, 'approved, no longer waiting');
  await accessible(page, 'approval-incentive-approved');

  await decant.getByRole('link', { name: /Check the decant and approve/ }).click();
  assert.equal(await page.locator('h1').innerText(), 'Approve the payments for the decant from 1 Canal Estate');
  await accessible(page, 'approval-decant');
  await page.getByLabel('What it was for').first().fill('Removals');
  await page.getByLabel('Amount').first().fill('450');
  await page.getByRole('button', { name: 'Approve the payments' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.equal(await decant.count(), 0, 'approved, no longer waiting');
  await context.close();
});

test("the manager approves a provider's invoice after its lines; a TA officer can neither see nor post one", async () => {
  // The demo's nightly-paid invoice, billed above the agreed rate.
  let { context, page } = await signIn('manager', 'demo-manager', { start: '/approvals' });
  const card = page.locator('.govuk-summary-card', { hasText: 'Invoice INV-2026-0412 from' });
  assert.match(await card.innerText(), /£[\d,]+\.\d\d/);
  assert.match(await card.innerText(), /The nights the council's records show come to £/);
  const invoice = await card.getByRole('link', { name: /Check the lines and approve/ }).getAttribute('href');
  await context.close();

  // The TA officer may read invoices from the service, yet approvals are a manager's: not
  // in the menu, the page refused, a post refused even with the officer's own CSRF token.
  ({ context, page } = await signIn('ta.officer', 'demo-ta', { start: '/accommodation' }));
  assert.equal(await page.getByRole('link', { name: 'Approvals' }).count(), 0);
  assert.equal((await page.goto(`${CONSOLE}/approvals`)).status(), 403);
  assert.equal((await page.goto(`${CONSOLE}${invoice}`)).status(), 403);
  await page.goto(`${CONSOLE}/accommodation`);
  const [forged] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(invoice) && r.request().method() === 'POST'),
    page.evaluate(async (action) => {
      const parse = (html) => new DOMParser().parseFromString(html, 'text/html');
      const queue = parse(await fetch('/accommodation').then((r) => r.text()));
      const placement = queue.querySelector('a[href^="/accommodation/placements/"]').getAttribute('href');
      const html = await fetch(`${placement}/close`).then((r) => r.text());
      const token = parse(html).querySelector('input[name=csrf_token]').value;
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'csrf_token', value: token }));
      document.body.append(form);
      form.submit();
    }, invoice),
  ]);
  assert.equal(forged.status(), 403);
  await page.waitForURL(`${CONSOLE}${invoice}`);
  assert.equal(await page.locator('h1').innerText(), 'You cannot do this');
  await context.close();

  ({ context, page } = await signIn('manager', 'demo-manager', { start: '/approvals' }));
  await page
    .locator('.govuk-summary-card', { hasText: 'Invoice INV-2026-0412 from' })
    .getByRole('link', { name: /Check the lines and approve/ })
    .click();
  assert.match(await page.locator('h1').innerText(), /^Approve the invoice INV-2026-0412 from /);
  const line = await page.locator('table.govuk-table tbody tr').first().locator('th, td').allInnerTexts();
  assert.equal(line[1], '7');
  assert.equal(line[2], '7');
  assert.match(line[3], /^£[\d,]+\.\d\d a night$/);
  assert.match(await page.locator('h2:has-text("Differences") + ul').innerText(), /invoiced for 7 nights at the agreed rate of £/);
  await accessible(page, 'approval-invoice');
  await page.getByRole('button', { name: /^Approve paying £/ }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.equal(await page.locator('h1').innerText(), 'Approvals');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Approved/);
  assert.equal(await page.locator('.govuk-summary-card', { hasText: 'INV-2026-0412' }).count(), 0);
  await accessible(page, 'approval-invoice-approved');
  await context.close();
});
