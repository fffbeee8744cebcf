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

test('the manager produces the management report across the services and downloads it as one CSV', async () => {
  const { context, page } = await signIn('manager', 'demo-manager');
  await page.goto(`${CONSOLE}/figures/returns`);
  // The financial year so far is offered first.
  await page.getByRole('button', { name: 'Produce the management report' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Management report');
  for (const section of ['Temporary accommodation', 'Rent and income', 'Lettings']) {
    const rows = page.locator(`table:has(caption:has-text("${section}: figures")) tbody tr`);
    assert.ok((await rows.count()) > 0, `${section} has figures`);
  }
  const rate = page.locator('tr:has(td:text-is("collection rate")) td').nth(2);
  assert.match(await rate.innerText(), /^(\d+\.\d\d%|Not given)$/);
  await accessible(page, 'returns-management');
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const href = await page.getByRole('link', { name: 'Download the management report as CSV' }).getAttribute('href');
  const csv = await context.request.get(`${CONSOLE}${href}`, { headers: { cookie } });
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  const text = await csv.text();
  assert.match(text, /^section,measure,breakdown,value,unit,note\ntemporary accommodation,/);
  assert.match(text, /\nrent,rent charged,,\d+,pence,/);
  assert.match(text, /\nlettings,lets,,\d+,lets,/);

  // Each service recorded its section with the manager's name.
  await page.goto(`${CONSOLE}/figures/returns`);
  const runs = page.locator('table:has(caption:has-text("returns produced")) tbody tr:has-text("Management report")');
  assert.ok((await runs.count()) >= 3, 'a run for each section');
  assert.match(await runs.first().innerText(), /Maya Chen/);
  await context.close();
});

test("the manager produces CORE's lettings log, checked first, and downloads CORE's bulk-upload file", async () => {
  const { context, page } = await signIn('manager', 'demo-manager');
  await page.goto(`${CONSOLE}/figures/returns`);
  await page.getByRole('button', { name: /Produce the CORE lettings log/ }).click();
  assert.equal(await page.locator('h1').innerText(), 'CORE lettings log 2026/27');
  const count = async (key) =>
    Number(await page.locator(`.govuk-summary-list__row:has(dt:text-is("${key}")) dd`).innerText());
  const logs = await count('Logs in the file');
  const withheld = await count('Logs withheld until put right');
  assert.ok(logs >= 0 && withheld >= 0);
  if (withheld > 0) {
    // Each failure is named by application and CORE's question, with CORE's words.
    const failures = page.locator('table:has(caption:has-text("checks found")) tbody tr');
    assert.ok((await failures.count()) > 0);
    assert.match(await failures.first().locator('td').nth(1).innerText(), /\(\d+\)$/);
  }
  await accessible(page, 'returns-core');
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const href = await page.getByRole('link', { name: /CORE bulk-upload file/ }).getAttribute('href');
  const file = await context.request.get(`${CONSOLE}${href}`, { headers: { cookie } });
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'], /^text\/csv/);
  const lines = (await file.text()).trimEnd().split('\n');
  assert.match(lines[0], /^Question,/);
  assert.match(lines[6], /^Field number,1,2,3,/);
  assert.equal(lines.length, 7 + logs, "CORE's seven header rows, then a row a log");
  await context.close();
});

test('an officer who is not a manager cannot produce a return', async () => {
  const { context, page } = await signIn('income.officer', 'demo-income');
  for (const path of [
    '/figures/returns',
    '/figures/returns/lahs?year_ending=2026',
    '/figures/returns/hclic.csv',
    '/figures/returns/management?period=2025-04-01..2025-06-30',
    '/figures/returns/management.csv?period=2025-04-01..2025-06-30',
    '/figures/returns/core',
    '/figures/returns/core.csv',
  ]) {
    const refused = await page.goto(`${CONSOLE}${path}`);
    assert.ok([403, 404].includes(refused.status()), `${path}: ${refused.status()}`);
  }
  const refused = await page.goto(`${CONSOLE}/figures/returns/lahs.csv?year_ending=2026`);
  assert.equal(refused.status(), 403);
  await context.close();
});
