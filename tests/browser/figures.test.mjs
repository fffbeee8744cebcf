// The manager's figures: charts drawn on the server (so they show without JavaScript), each
// with its figures in a table and as CSV; nobody else sees them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the manager reads temporary accommodation and arrears as charts and tables, ${how}`, async () => {
    const { context, page } = await signIn('manager', 'demo-manager', { javaScript });
    await page.getByRole('link', { name: 'Figures', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Figures');
    assert.equal(await page.locator('svg[role=img]').count(), 3, 'three charts');
    // Twelve weeks, and the demo borough's households placed weeks ago are in the last.
    const weeks = page.locator('table:has(caption:has-text("by type of accommodation")) tbody tr');
    assert.equal(await weeks.count(), 12);
    const placedNow = Number(await weeks.last().locator('td').nth(6).innerText());
    assert.ok(placedNow > 0, 'households in temporary accommodation today');
    assert.ok(
      (await page.locator('table:has(caption:has-text("Arrears by recovery stage")) tbody tr').count()) > 0,
      'arrears by stage',
    );
    await accessible(page, `figures${tag}`, { javaScript });

    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const csv = await context.request.get(`${CONSOLE}/figures/temporary-accommodation.csv`, { headers: { cookie } });
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    assert.match(lines[0], /^date,Bed and breakfast,"Nightly paid, self-contained",/);
    assert.equal(lines.length, 13, 'a header and twelve weeks');
    await context.close();
  });
}

test('an officer who is not a manager has no figures', async () => {
  const { context, page } = await signIn('income.officer', 'demo-income');
  assert.equal(await page.getByRole('link', { name: 'Figures', exact: true }).count(), 0);
  const refused = await page.goto(`${CONSOLE}/figures`);
  assert.equal(refused.status(), 403);
  await context.close();
});
