// Mobility schemes in the officer console: a manager adds a scheme with its share of the
// council's lets, and every officer in nominations reads, for this financial year or the
// last, the lets each scheme was owed and given. Against the running demo stack (see
// console.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, problems, signIn } from './console.mjs';

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? '' : '-nojs';
  // A scheme's name is unique: a run of its own, so the tests can run again on one stack.
  const name = `Housing Moves ${javaScript ? 'North' : 'South'} ${Date.now().toString(36).slice(-5)}`;

  test(`a manager adds a mobility scheme and an allocations officer reads its quota, ${how}`, async () => {
    let { context, page } = await signIn('manager', 'demo-manager', { javaScript, start: '/nominations' });
    await page.getByRole('link', { name: 'Mobility schemes and their quotas' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Mobility schemes');
    assert.equal(
      await page.getByRole('navigation', { name: 'Period' }).locator('[aria-current=page]').innerText(),
      'This financial year',
    );
    assert.match(await page.locator('main').innerText(), /Lets from 1 April \d{4} to /);

    await page.getByRole('button', { name: 'Add a mobility scheme' }).click();
    await page.getByLabel("The scheme's share of the council's lets, in percent").fill('0');
    await page.getByRole('button', { name: 'Add the scheme' }).click();
    assert.deepEqual(await problems(page), [
      "Enter the scheme's name",
      "Enter the scheme's share of the council's lets, a whole number from 1 to 100",
    ]);
    assert.match(await page.title(), /^Error: /);
    await accessible(page, `mobility-new-errors${tag}`, { javaScript });
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel("The scheme's share of the council's lets, in percent").fill('10');
    await page.getByRole('button', { name: 'Add the scheme' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The scheme has been added/);

    // The demo's partner has let homes this year, none through the new scheme: ten percent
    // of them, rounded up, are owed to it.
    const lets = Number((await page.locator('main p', { hasText: /The council let / }).innerText()).match(/let (\d+) home/)[1]);
    assert.ok(lets > 0, 'the demo has lettings this year');
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
    const [share, owed, given, quota] = await row.locator('td').allInnerTexts();
    assert.equal(share, '10%');
    assert.equal(Number(owed), Math.ceil(lets / 10));
    assert.equal(given, '0');
    assert.equal(quota, `${Math.ceil(lets / 10)} short`);
    await accessible(page, `mobility${tag}`, { javaScript });

    // A second scheme of the same name could not be told apart from the first.
    await page.getByRole('button', { name: 'Add a mobility scheme' }).click();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel("The scheme's share of the council's lets, in percent").fill('5');
    await page.getByRole('button', { name: 'Add the scheme' }).click();
    assert.deepEqual(await problems(page), ['A mobility scheme of this name has been added already']);
    await context.close();

    // An allocations officer reads the schemes, and can neither add one nor post one.
    ({ context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: '/nominations/mobility' }));
    assert.equal(await page.locator('h1').innerText(), 'Mobility schemes');
    assert.ok(await page.getByRole('rowheader', { name, exact: true }).isVisible());
    assert.equal(await page.getByRole('button', { name: 'Add a mobility scheme' }).count(), 0);
    await page.getByRole('link', { name: 'Last financial year' }).click();
    assert.match(await page.locator('main').innerText(), /Lets from 1 April \d{4} to 31 March \d{4}\./);
    assert.equal(await page.getByRole('rowheader', { name, exact: true }).locator('..').locator('td').nth(3).innerText(), 'Met');
    assert.equal((await page.goto(`${CONSOLE}/nominations/mobility?period=decade`)).status(), 404);
    assert.equal((await page.goto(`${CONSOLE}/nominations/mobility/new`)).status(), 403);
    await context.close();
  });
}
