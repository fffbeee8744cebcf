// Statutory returns for a manager: LAHS section C and H-CLIC produced on screen and as
// CSV files, each run recorded with the manager's name; nobody else produces them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the manager produces LAHS section C and H-CLIC and downloads them, ${how}`, async () => {
    const { context, page } = await signIn('manager', 'demo-manager', { javaScript });
    await page.getByRole('link', { name: 'Figures', exact: true }).click();
    await page.getByRole('link', { name: /Statutory returns/ }).click();
    assert.equal(await page.locator('h1').innerText(), 'Statutory returns');
    await accessible(page, `returns${tag}`, { javaScript });

    // The last financial year that has ended is offered first.
    await page.getByRole('button', { name: 'Produce LAHS section C' }).click();
    assert.equal(await page.locator('h1').innerText(), 'LAHS section C: allocations');
    const rows = page.locator('table:has(caption:has-text("Figures")) tbody tr');
    assert.equal(await rows.count(), 32, 'twelve lines for each list and eight for lettings');
    assert.equal(await rows.first().locator('td').nth(1).innerText(), 'households');
    await accessible(page, `returns-lahs${tag}`, { javaScript });
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const lahsHref = await page.getByRole('link', { name: 'Download LAHS section C as CSV' }).getAttribute('href');
    const lahs = await context.request.get(`${CONSOLE}${lahsHref}`, { headers: { cookie } });
    assert.equal(lahs.status(), 200);
    assert.match(lahs.headers()['content-type'], /^text\/csv/);
    assert.match(await lahs.text(), /^section,line,figure\nwaiting list,households,\d+\n/);

    await page.getByRole('link', { name: 'Back to statutory returns' }).click();
    await page.getByRole('button', { name: 'Produce H-CLIC' }).click();
    assert.equal(await page.locator('h1').innerText(), 'H-CLIC: temporary accommodation');
    assert.ok(
      (await page.locator('table:has(caption:has-text("Figures")) tbody tr').count()) >= 20,
      'the tables, a figure a line',
    );
    await accessible(page, `returns-hclic${tag}`, { javaScript });
    const recordsHref = await page
      .getByRole('link', { name: 'Download the household records as CSV' })
      .getAttribute('href');
    const records = await context.request.get(`${CONSOLE}${recordsHref}`, { headers: { cookie } });
    assert.equal(records.status(), 200);
    assert.match(await records.text(), /^placement_reference,household_id,household_size,children,/);

    // Every return produced, on screen or as a file, is on record with the manager's name.
    await page.getByRole('link', { name: 'Back to statutory returns' }).click();
    const runs = page.locator('table:has(caption:has-text("returns produced")) tbody tr');
    assert.ok((await runs.count()) >= 4, 'the runs just made');
    assert.match(await runs.first().innerText(), /Maya Chen/);
    await context.close();
  });
}

test('an officer who is not a manager cannot produce a return', async () => {
  const { context, page } = await signIn('income.officer', 'demo-income');
  for (const path of ['/figures/returns', '/figures/returns/lahs?year_ending=2026', '/figures/returns/hclic.csv']) {
    const refused = await page.goto(`${CONSOLE}${path}`);
    assert.ok([403, 404].includes(refused.status()), `${path}: ${refused.status()}`);
  }
  const refused = await page.goto(`${CONSOLE}/figures/returns/lahs.csv?year_ending=2026`);
  assert.equal(refused.status(), 403);
  await context.close();
});
