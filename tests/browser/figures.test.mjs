// The manager's figures: charts drawn on the server (so they show without JavaScript), each
// with its figures in a table and as CSV; nobody else sees them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';

  test(`the manager reads temporary accommodation, arrears and lettings as charts and tables, ${how}`, async () => {
    const { context, page } = await signIn('manager', 'demo-manager', { javaScript });
    await page.getByRole('link', { name: 'Figures', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Figures');
    assert.equal(await page.locator('svg[role=img]').count(), 4, 'four charts');
    // Twelve weeks, and the demo borough's households placed weeks ago are in the last.
    const weeks = page.locator('table:has(caption:has-text("by type of accommodation")) tbody tr');
    assert.equal(await weeks.count(), 12);
    const placedNow = Number(await weeks.last().locator('td').nth(6).innerText());
    assert.ok(placedNow > 0, 'households in temporary accommodation today');
    assert.ok(
      (await page.locator('table:has(caption:has-text("Arrears by recovery stage")) tbody tr').count()) > 0,
      'arrears by stage',
    );
    // Twelve months of lettings, each month's lets split by referral source; the demo's moves
    // this month are to housing associations' homes.
    const months = page.locator('table:has(caption:has-text("Lettings and housing association")) tbody tr');
    assert.equal(await months.count(), 12);
    const counts = async (month) =>
      Promise.all([0, 1, 2, 3, 4].map(async (i) => Number(await month.locator('td').nth(i).innerText())));
    for (const month of await months.all()) {
      const [all, council, association, choiceBased, homeless] = await counts(month);
      assert.equal(council + association, all, "the council's own homes and associations' make all lets");
      assert.ok(choiceBased <= all && homeless <= all);
    }
    const [all, , association] = await counts(months.last());
    assert.ok(association > 0 && association === all, "this month's lets, all to associations' homes");
    await accessible(page, `figures${tag}`, { javaScript });

    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const csv = await context.request.get(`${CONSOLE}/figures/temporary-accommodation.csv`, { headers: { cookie } });
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    assert.match(lines[0], /^date,Bed and breakfast,"Nightly paid, self-contained",/);
    assert.equal(lines.length, 13, 'a header and twelve weeks');

    const lets = await context.request.get(`${CONSOLE}/figures/lets-by-source.csv`, { headers: { cookie } });
    assert.equal(lets.status(), 200);
    assert.match(lets.headers()['content-disposition'], /filename="lets-by-source-/);
    const rows = (await lets.text()).trim().split('\n');
    assert.match(rows[0], /^month,lets,council_homes_from_the_register,housing_association_homes_to_nominees,choice_based_lets,lets_to_homeless_households,/);
    assert.equal(rows.length, 13, 'a header and twelve months');
    assert.match(rows[12], /^\d{4}-\d{2},\d+,\d+,\d+,\d+,\d+,\d+,\d+$/);
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
