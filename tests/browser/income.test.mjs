// Rent and income, and the manager's approvals, in the officer console: the income officer
// imports a payment file and works the arrears queue; the manager approves a removal and a
// write-off; an officer without the manager role neither sees nor can post an approval.
// Against the running demo stack, as console.test.mjs is (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, call, problems, signIn } from './console.mjs';

const today = new Date().toISOString().slice(0, 10);
/** Pence of this run's own, so a file imported by an earlier run is a new file now. */
const runPence = () => String(100 + (Date.now() % 9_000)).padStart(3, '0');
const pounds = (pence) => `${pence.slice(0, -2)}.${pence.slice(-2)}`;

/** Uploads `content` as the payment file, paid by `method`, and returns the page after. */
async function importFile(page, content, method = 'Housing Benefit') {
  await page.goto(`${CONSOLE}/income/import`);
  if (method) await page.getByLabel(method).check();
  if (content !== null) {
    await page.getByLabel('Payment file').setInputFiles({
      name: 'bank-file.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(content),
    });
  }
  await page.getByRole('button', { name: 'Import the payments' }).click();
  await page.waitForSelector('h1');
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the income officer imports a payment file and works the arrears queue, ${how}`, async () => {
    const { context, page } = await signIn('income.officer', 'demo-income', { javaScript });
    assert.ok(await page.getByRole('link', { name: 'Rent accounts at referral' }).isVisible());
    assert.equal(await page.getByRole('link', { name: 'Approvals' }).count(), 0, 'no approvals for an officer');
    await accessible(page, `home-income${tag}`, { javaScript });

    await page.getByRole('link', { name: 'Rent and income', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Rent and income');
    const first = page.locator('table.govuk-table tbody tr').first().locator('a');
    assert.ok(await first.count(), 'the demo borough has rent accounts');
    await accessible(page, `arrears-queue${tag}`, { javaScript });
    const reference = (await first.innerText()).trim();
    const account = await first.getAttribute('href');
    const before = await page.locator('table.govuk-table tbody tr').first().locator('td').nth(2).innerText();

    // A stage's tab holds only that stage.
    await page.locator('.moj-sub-navigation__link', { hasText: /^Referral/ }).click();
    for (const stage of await page.locator('table.govuk-table tbody .govuk-tag').allInnerTexts()) {
      assert.ok(['Referral', 'Closed'].includes(stage), `a ${stage} account under Referral`);
    }
    await accessible(page, `arrears-queue-referral${tag}`, { javaScript });

    // Nothing chosen: both named. A malformed line: named by its number, nothing posted.
    await importFile(page, null, null);
    let wrong = await problems(page);
    assert.ok(wrong.some((p) => /select a payment file/i.test(p)), wrong.join(' | '));
    assert.ok(wrong.some((p) => /how the payments were made/i.test(p)), wrong.join(' | '));
    await accessible(page, `import-errors${tag}`, { javaScript });
    await importFile(page, `date,reference,amount\n${today},${reference},12.345\n`);
    wrong = await problems(page);
    assert.equal(wrong.length, 1, wrong.join(' | '));
    assert.match(wrong[0], /^Line 2: .*fraction of a penny/);
    await accessible(page, `import-bad-line${tag}`, { javaScript });

    // A good file: the matched line posts, the unknown reference is reported by its line.
    const pence = runPence();
    const file = `date,reference,amount\n${today},${reference},${pounds(pence)}\n${today},TA99999999,5.00\n`;
    await importFile(page, file);
    assert.equal(await page.locator('h1').innerText(), 'Payment file imported');
    assert.equal(await page.locator('.govuk-panel__title').innerText(), '1 payment posted');
    assert.match(await page.locator('table.govuk-table tbody tr').first().innerText(), /^3\s+No account with reference TA99999999/);
    await accessible(page, `import-report${tag}`, { javaScript });
    // The same file again posts nothing twice.
    await importFile(page, file);
    assert.equal(await page.locator('.govuk-panel__title').innerText(), '0 payments posted');
    assert.match(await page.locator('.govuk-summary-list__row:has-text("earlier import") dd').innerText(), /^1 line$/);

    // The account's statement shows the payment, and the balance has come down by it.
    await page.goto(CONSOLE + account);
    assert.equal(await page.locator('h1').innerText(), `Rent account ${reference}`);
    const paid = page.locator('table.govuk-table tbody tr', { hasText: `£${pounds(pence)}` });
    assert.ok(await paid.count(), 'the imported payment on the statement');
    const after = await page.locator('.govuk-summary-list__row:has(dt:text-is("Balance")) dd').innerText();
    assert.notEqual(after, before);
    await accessible(page, `rent-account${tag}`, { javaScript });

    // A payment at the counter: every missing answer named, then recorded once.
    await page.getByRole('button', { name: 'Record a payment' }).click();
    await page.getByRole('button', { name: 'Record the payment' }).click();
    wrong = await problems(page);
    assert.equal(wrong.length, 3, wrong.join(' | '));
    await accessible(page, `payment-errors${tag}`, { javaScript });
    await page.getByLabel('Amount paid').fill('25');
    const [year, month, day] = today.split('-');
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
    await page.getByLabel('Paid by the household').check();
    await page.getByRole('button', { name: 'Record the payment' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /payment has been recorded/);
    await accessible(page, `payment-recorded${tag}`, { javaScript });

    // A credit for a charge made in error: each missing part named, then on the statement
    // with its reason.
    await page.getByRole('button', { name: 'Adjust the account' }).click();
    await page.getByRole('button', { name: 'Adjust the account' }).click();
    wrong = await problems(page);
    assert.equal(wrong.length, 4, wrong.join(' | '));
    await accessible(page, `adjustment-errors${tag}`, { javaScript });
    await page.getByLabel(/^Credit/).check();
    await page.getByLabel('Amount').fill('3.21');
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
    const why = `Charged twice in error ${runPence()}`;
    await page.getByLabel('Why').fill(why);
    await page.getByRole('button', { name: 'Adjust the account' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /account has been adjusted/);
    assert.match(await page.locator('table.govuk-table tbody tr', { hasText: why }).innerText(), /£3\.21/);

    // A payment plan, once: set up, then no longer offered while it is kept.
    const plan = page.getByRole('button', { name: 'Set up a payment plan' });
    if (await plan.count()) {
      await plan.click();
      await page.getByRole('button', { name: 'Set up the plan' }).click();
      assert.equal((await problems(page)).length, 2);
      await accessible(page, `plan-errors${tag}`, { javaScript });
      await page.getByLabel('Paid off the arrears each week').fill('7.50');
      await page.getByLabel('Day').fill(day);
      await page.getByLabel('Month').fill(month);
      await page.getByLabel('Year').fill(year);
      await page.getByRole('button', { name: 'Set up the plan' }).click();
      await page.waitForSelector('.govuk-notification-banner');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /payment plan has been set up/);
      assert.equal(
        await page.locator('.govuk-summary-list__row:has(dt:text-is("Payment plan")) dd').innerText(),
        'Being kept',
      );
      assert.equal(await page.getByRole('button', { name: 'Set up a payment plan' }).count(), 0);
    }
    await context.close();
  });
}

test('the manager approves a removal and a write-off; an officer without the role can neither see nor post an approval', async () => {
  // A TA officer asks for storage of a household's belongings (through the platform's own
  // client, as the console has no placement pages yet).
  const placement = call('accommodation', 'ListPlacements', 'ta.officer', {
    page_size: 1,
    status: 'PLACEMENT_STATUS_OFFERED',
  }).placements[0];
  assert.ok(placement, 'the demo borough has placements');
  const supplier = `BR-${Date.now()}`;
  call('accommodation', 'RequestRemoval', 'ta.officer', {
    request_id: `browser-removal-${supplier}`,
    placement_id: placement.placement_id,
    kind: 'REMOVAL_KIND_STORAGE',
    supplier_name: 'Borough Removals Ltd',
    supplier_reference: supplier,
    amount_pence: 15_000,
  });

  // The income officer asks to write off £1.00 of the highest arrears.
  let { context, page } = await signIn('income.officer', 'demo-income', { start: '/income?stage=referral' });
  await page.locator('table.govuk-table tbody tr a').first().click();
  const reference = (await page.locator('h1').innerText()).replace('Rent account ', '');
  await page.getByRole('button', { name: 'Ask to write off arrears' }).click();
  await page.getByRole('button', { name: 'Send to a manager' }).click();
  assert.equal((await problems(page)).length, 2);
  await accessible(page, 'write-off-errors');
  await page.getByLabel('Amount to write off').fill('1.00');
  await page.getByLabel('Why the arrears cannot be recovered').fill('The household left no forwarding address');
  await page.getByRole('button', { name: 'Send to a manager' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  await accessible(page, 'write-off-asked');

  // The officer has no approvals: not in the menu, the page refused, a post refused even
  // with the officer's own valid CSRF token.
  assert.equal(await page.getByRole('link', { name: 'Approvals' }).count(), 0);
  const refused = await page.goto(`${CONSOLE}/approvals`);
  assert.equal(refused.status(), 403);
  await page.goto(`${CONSOLE}/income`);
  const [forged] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/approve')),
    page.evaluate(async () => {
      const html = await fetch('/income/import').then((r) => r.text());
      const token = new DOMParser().parseFromString(html, 'text/html').querySelector('input[name=csrf_token]').value;
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/approvals/removals/00000000-0000-0000-0000-000000000000/approve';
      const input = Object.assign(document.createElement('input'), { type: 'hidden', name: 'csrf_token', value: token });
      form.append(input);
      document.body.append(form);
      form.submit();
    }),
  ]);
  assert.equal(forged.status(), 403);
  await page.waitForURL(/\/approve$/);
  assert.equal(await page.locator('h1').innerText(), 'You cannot do this');
  await accessible(page, 'approval-refused');
  await context.close();

  // The manager sees both waiting, and approves each.
  ({ context, page } = await signIn('manager', 'demo-manager'));
  assert.ok(await page.getByRole('link', { name: 'Write-offs awaiting approval' }).isVisible());
  await page.getByRole('link', { name: 'Approvals', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Approvals');
  await accessible(page, 'approvals');
  const removal = page.locator('.govuk-summary-card', { hasText: supplier });
  assert.equal(await removal.count(), 1, 'the removal waits for a manager');
  await removal.getByRole('button', { name: /^Approve/ }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.equal(await page.locator('.govuk-summary-card', { hasText: supplier }).count(), 0, 'approved, no longer waiting');

  const writeOff = page.locator('.govuk-summary-card', { hasText: `Write off arrears on ${reference}` }).first();
  assert.ok(await writeOff.count(), 'the write-off waits for a manager');
  await writeOff.getByRole('button', { name: /^Approve/ }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Approved/);
  await accessible(page, 'approved');

  // Declining needs a reason. Any removal left waiting (the demo borough's) is declined.
  const waiting = page.locator('.govuk-summary-card', { hasText: 'Borough Removals' }).first();
  if (await waiting.count()) {
    await waiting.getByRole('link', { name: /^Decline/ }).click();
    await page.getByRole('button', { name: 'Decline' }).click();
    assert.match((await problems(page)).join(' '), /why you are declining/);
    await accessible(page, 'decline-errors');
    await page.getByLabel('Why you are declining it').fill('Storage is covered by the household\'s insurance');
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Declined/);
  }

  // The statement shows the write-off, posted in the manager's name by the rent service.
  await page.goto(`${CONSOLE}/income?reference=${reference}`);
  await page.locator('table.govuk-table tbody a').first().click();
  assert.ok(await page.locator('table.govuk-table tbody tr', { hasText: /write.off/i }).count(), 'the write-off on the statement');
  await context.close();
});

test('the income officer runs the weekly charges and watches them finish', async () => {
  const { context, page } = await signIn('income.officer', 'demo-income', { start: '/income' });
  await page.getByRole('button', { name: 'Weekly charges' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Weekly charges');
  await accessible(page, 'charges');
  // A week starts on a Monday.
  await page.getByLabel('Week starting').fill('2026-12-01');
  await page.getByRole('button', { name: 'Show the week' }).click();
  assert.match((await problems(page)).join(' '), /must start on a Monday/);
  await accessible(page, 'charges-errors');

  // The first week from eight weeks ahead that nobody has charged yet (the stack's
  // databases may outlive a run of the tests): nobody charged until the run is started, and
  // then every open account.
  const now = new Date();
  const daysToMonday = (8 - now.getUTCDay()) % 7 || 7;
  let monday;
  for (let weeks = 7; weeks < 60; weeks += 1) {
    monday = new Date(now.getTime() + (daysToMonday + 7 * weeks) * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${CONSOLE}/income/charges?week=${monday}`);
    if ((await page.locator('#progress-text').innerText()) === 'No account has been charged for the week yet.') break;
  }
  assert.equal(await page.locator('#progress-text').innerText(), 'No account has been charged for the week yet.');
  await page.getByRole('button', { name: 'Charge the week' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  for (let i = 0; i < 50 && !(await page.getByText('Every open account has been charged for the week.').count()); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await page.goto(`${CONSOLE}/income/charges?week=${monday}`);
  }
  assert.match(await page.locator('#progress-text').innerText(), /^[1-9]\d* accounts charged, 0 still to charge \(100%\)/);
  assert.match(
    await page.locator('.govuk-summary-list__row:has(dt:text-is("Run by")) dd').innerText(),
    /you \(Ines Murphy\)/,
  );
  assert.equal(await page.getByRole('button', { name: 'Charge the week' }).count(), 0);
  await accessible(page, 'charges-finished');
  await context.close();
});

/** Fills the Design System's date boxes with `iso` (YYYY-MM-DD). */
async function fillDate(page, iso) {
  const [year, month, day] = iso.split('-');
  await page.getByLabel('Day').fill(day);
  await page.getByLabel('Month').fill(month);
  await page.getByLabel('Year').fill(year);
}

/** Each problem in the error summary links to an input on the page. */
async function linkedToInputs(page) {
  const hrefs = await page.locator('.govuk-error-summary__list a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length, 'the error summary links to its fields');
  for (const href of hrefs) {
    assert.equal(await page.locator(`${href}:is(input, textarea, select)`).count(), 1, `${href} is an input`);
  }
  return hrefs;
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the income officer pays a supplier and issues, claims on and recovers a bond, ${how}`, async () => {
    // A removal a manager approves becomes a payable in the rent service (as an event).
    const placement = call('accommodation', 'ListPlacements', 'ta.officer', {
      page_size: 1,
      status: 'PLACEMENT_STATUS_OFFERED',
    }).placements[0];
    assert.ok(placement, 'the demo borough has placements');
    const supplier = `PAY-${Date.now()}`;
    const { removal } = call('accommodation', 'RequestRemoval', 'ta.officer', {
      request_id: `browser-payable-${supplier}`,
      placement_id: placement.placement_id,
      kind: 'REMOVAL_KIND_REMOVAL',
      supplier_name: 'Payables Test Removals Ltd',
      supplier_reference: supplier,
      amount_pence: 48_050,
    });
    call('accommodation', 'ApproveRemoval', 'manager', { removal_id: removal.removal_id });

    const { context, page } = await signIn('income.officer', 'demo-income', { javaScript, start: '/income' });
    await page.getByRole('button', { name: 'Payables' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Payables');
    // The approval arrives as an event: wait for it, paging through what awaits payment.
    const row = () => page.locator('table.govuk-table tbody tr', { hasText: supplier });
    for (let i = 0; i < 50 && !(await row().count()); i += 1) {
      const next = page.getByRole('link', { name: /^Next/ });
      if (await next.count()) {
        await next.click();
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await page.goto(`${CONSOLE}/income/payables`);
      }
    }
    assert.match(await row().innerText(), /Payables Test Removals Ltd\s+Removals and storage\s+.*£480\.50\s+Pay/);
    await accessible(page, `payables${tag}`, { javaScript });

    // Paying needs the date paid: the problem linked to its box, then recorded once.
    await row().getByRole('link', { name: /^Pay/ }).click();
    assert.equal(await page.locator('h1').innerText(), 'Record a payment to a supplier');
    await accessible(page, `payable-pay${tag}`, { javaScript });
    await page.getByRole('button', { name: 'Record the payment' }).click();
    assert.deepEqual(await problems(page), ['Enter the date paid']);
    assert.deepEqual(await linkedToInputs(page), ['#paid_on']);
    await accessible(page, `payable-pay-errors${tag}`, { javaScript });
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Record the payment' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /payment has been recorded/);
    assert.equal(await row().count(), 0, 'paid, no longer awaiting payment');
    await accessible(page, `payables-paid${tag}`, { javaScript });
    await page.locator('.moj-sub-navigation__link', { hasText: 'All' }).click();
    const paidOn = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    for (let i = 0; i < 50 && !(await row().count()); i += 1) {
      await page.getByRole('link', { name: /^Next/ }).click();
    }
    assert.match(await row().innerText(), new RegExp(`Paid ${paidOn}$`));
    await accessible(page, `payables-all${tag}`, { javaScript });

    // A bond from a household's rent account: every missing answer named and linked.
    await page.goto(`${CONSOLE}/income`);
    await page.locator('table.govuk-table tbody tr a').first().click();
    await page.getByRole('button', { name: 'Issue a bond' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Issue a bond');
    await page.getByRole('button', { name: 'Issue the bond' }).click();
    assert.equal((await problems(page)).length, 5, (await problems(page)).join(' | '));
    assert.deepEqual(await linkedToInputs(page), ['#household_name', '#landlord', '#property_address', '#guaranteed_pence', '#issued_on']);
    await accessible(page, `bond-issue-errors${tag}`, { javaScript });
    const household = `Okafor ${supplier}`;
    await page.getByLabel("Household's name").fill(household);
    await page.getByLabel('Landlord', { exact: true }).fill('Riverside Lettings');
    await page.getByLabel('Address of the property').fill('14 Mill Lane, Northam NM1 4QT');
    await page.getByLabel('Amount guaranteed').fill('1,200');
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Issue the bond' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await page.locator('h1').innerText(), `Bond for ${household}`);
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /bond has been issued/);
    const value = (key) => page.locator(`.govuk-summary-list__row:has(dt:text-is("${key}")) dd`).innerText();
    assert.equal(await value('Guaranteed'), '£1,200.00');
    assert.equal(await value('Still guaranteed'), '£1,200.00');
    assert.equal(await page.locator('.govuk-tag').first().innerText(), 'No claims');
    const reference = await value('Reference');
    await accessible(page, `bond${tag}`, { javaScript });

    // Found again by its reference; an unknown one named.
    await page.goto(`${CONSOLE}/income`);
    await page.getByRole('button', { name: 'Find a bond' }).click();
    await page.getByLabel('Bond reference').fill('00000000-0000-7000-8000-000000000000');
    await page.getByRole('button', { name: 'Find' }).click();
    assert.match((await problems(page)).join(' '), /No bond has the reference/);
    assert.deepEqual(await linkedToInputs(page), ['#reference']);
    await accessible(page, `bond-find-errors${tag}`, { javaScript });
    await page.getByLabel('Bond reference').fill(reference);
    await page.getByRole('button', { name: 'Find' }).click();
    assert.equal(await page.locator('h1').innerText(), `Bond for ${household}`);

    // A claim beyond the guarantee is refused on its amount; one within it is paid and owed.
    await page.getByRole('button', { name: "Pay a landlord's claim" }).click();
    await page.getByLabel('Amount paid to the landlord').fill('1500');
    await page.getByLabel('What the landlord claims for').fill('Rent unpaid at the end of the tenancy');
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Pay the claim' }).click();
    assert.match((await problems(page)).join(' '), /more than the £1,200\.00 the bond still guarantees/);
    assert.deepEqual(await linkedToInputs(page), ['#amount_pence']);
    await accessible(page, `bond-claim-errors${tag}`, { javaScript });
    await page.getByLabel('Amount paid to the landlord').fill('300');
    await page.getByRole('button', { name: 'Pay the claim' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(await value('Claims paid to the landlord'), '£300.00');
    assert.equal(await value('Owed by the household'), '£300.00');
    assert.equal(await page.locator('.govuk-tag').first().innerText(), 'Claimed: being repaid');

    // The household repays part of it.
    await page.getByRole('button', { name: 'Record a repayment' }).click();
    await accessible(page, `bond-repayment${tag}`, { javaScript });
    await page.getByLabel('Amount repaid').fill('100');
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Record the repayment' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /repayment has been recorded/);
    assert.equal(await value('Repaid by the household'), '£100.00');
    assert.equal(await value('Owed by the household'), '£200.00');
    assert.equal(await value('Still guaranteed'), '£900.00');
    await accessible(page, `bond-repaid${tag}`, { javaScript });
    await context.close();
  });
}
