// Rent deposit bonds in the officer console: the income officer issues a bond from a
// household's rent account, finds it listed on the account, pays a landlord's claim and
// records the household's repayment, and reads both in the bond's history. Against the
// running demo stack, as console.test.mjs is (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, call, problems, signIn } from './console.mjs';

const today = new Date().toISOString().slice(0, 10);
const todayInWords = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

async function fillDate(page, iso) {
  const [year, month, day] = iso.split('-');
  await page.getByLabel('Day').fill(day);
  await page.getByLabel('Month').fill(month);
  await page.getByLabel('Year').fill(year);
}

/**
 * Open accounts no other browser test takes: the others take the first of the queue (the
 * most owed) or the first that is clear; these are the last two (the most in credit), one
 * for each run of the journey.
 */
function accountsOfOurOwn() {
  const { accounts } = call('rent', 'ListAccounts', 'income.officer', {
    status: 'ACCOUNT_STATUS_OPEN',
    page_size: 100,
  });
  assert.ok(accounts.length >= 4, 'the demo borough has rent accounts');
  return accounts.slice(-2).map(({ account }) => account);
}

for (const [i, javaScript] of [true, false].entries()) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the income officer lists a household's bonds and reads a bond's claims and repayments, ${how}`, async () => {
    const account = accountsOfOurOwn()[i];
    const accountPage = `/income/accounts/${account.account_id}`;
    const { context, page } = await signIn('income.officer', 'demo-income', { javaScript, start: accountPage });
    assert.equal(await page.locator('h1').innerText(), `Rent account ${account.payment_reference}`);
    assert.ok(await page.getByRole('heading', { name: 'Bonds', exact: true }).isVisible());

    // A bond issued from the account.
    const stamp = `${Date.now()}${tag}`;
    const property = `Flat ${stamp}, 2 Station Road, Northam NM2 8LP`;
    await page.getByRole('button', { name: 'Issue a bond' }).click();
    await page.getByLabel("Household's name").fill(`Adeyemi ${stamp}`);
    await page.getByLabel('Landlord', { exact: true }).fill('Station Road Lettings');
    await page.getByLabel('Address of the property').fill(property);
    await page.getByLabel('Amount guaranteed').fill('950');
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Issue the bond' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.deepEqual(await problems(page), []);
    assert.equal(await page.locator('h1').innerText(), `Bond for Adeyemi ${stamp}`);

    // Listed on the account: the property links to the bond; amount, date and state shown.
    await page.goto(CONSOLE + accountPage);
    const row = page.locator('#bonds ~ table tbody tr', { hasText: property });
    assert.equal(await row.count(), 1, 'the bond is listed on its account');
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cells, [
      `${property} : bond issued ${todayInWords}`,
      'Station Road Lettings',
      todayInWords,
      '£950.00',
      '£0.00',
      'No claims',
    ]);
    await accessible(page, `bonds-account${tag}`, { javaScript });
    await row.getByRole('link').click();
    assert.equal(await page.locator('h1').innerText(), `Bond for Adeyemi ${stamp}`);
    const history = () => page.locator('table:has(caption:text-is("History")) tbody tr');
    assert.equal(await history().count(), 1);
    assert.match(await history().first().innerText(), /^Issued\s+.*£950\.00/);

    // A claim paid and part of it repaid: each in the history, with who and why.
    await page.getByRole('button', { name: "Pay a landlord's claim" }).click();
    await page.getByLabel('Amount paid to the landlord').fill('400');
    await page.getByLabel('What the landlord claims for').fill('Damage to the kitchen worktop');
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Pay the claim' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    await page.getByRole('button', { name: 'Record a repayment' }).click();
    await page.getByLabel('Amount repaid').fill('150');
    await fillDate(page, today);
    await page.getByRole('button', { name: 'Record the repayment' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /repayment has been recorded/);
    const lines = (await history().allInnerTexts()).map((line) => line.replace(/\s+/g, ' ').trim());
    assert.equal(lines.length, 3, lines.join(' | '));
    assert.match(lines[0], new RegExp(`^Issued ${todayInWords} £950\\.00 You \\(`));
    assert.match(lines[1], new RegExp(`^Claim paid to the landlord ${todayInWords} £400\\.00 Damage to the kitchen worktop You \\(`));
    assert.match(lines[2], new RegExp(`^Repayment by the household ${todayInWords} £150\\.00 You \\(`));
    await accessible(page, `bond-history${tag}`, { javaScript });

    // The account's list follows: being repaid, with what is still owed.
    await page.goto(CONSOLE + accountPage);
    const after = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(after.slice(3), ['£950.00', '£250.00', 'Claimed: being repaid']);
    await context.close();
  });
}
