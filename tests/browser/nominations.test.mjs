// Nominations in the officer console: the allocations officer finds a partner's vacancy,
// reads its shortlist from the register and nominates an applicant. Against the running
// demo stack (see console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, signIn } from './console.mjs';

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
