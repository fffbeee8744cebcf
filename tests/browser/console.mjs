// What the console's browser tests share: Debian's headless Chromium, signing in through the
// OpenID provider's login page as a demo officer, and the check every page visited gets:
// axe-core at WCAG 2.2 AA, and a screenshot in ./screenshots for review.
//
//   CONSOLE_URL (default http://127.0.0.1:8080), CHROMIUM (default /usr/bin/chromium)

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const CONSOLE = process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** The browser, launched before a file's tests and closed after them. */
export const chromiumBrowser = {};
before(async () => {
  chromiumBrowser.browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});
after(async () => chromiumBrowser.browser?.close());

/**
 * Saves the page, and fails on any WCAG 2.2 A or AA violation axe-core finds, naming each.
 * axe-core runs in the page, so a page without JavaScript is only saved: its journey runs
 * with JavaScript too, where axe-core checks the same pages.
 */
export async function accessible(page, name, { javaScript = true } = {}) {
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
export async function signIn(username, password, { javaScript = true, start = '/' } = {}) {
  const context = await chromiumBrowser.browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await page.goto(CONSOLE + start);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(CONSOLE));
  return { context, page };
}

/** The Design System's error summary, a line a problem. */
export async function problems(page) {
  return page.locator('.govuk-error-summary__list li').allInnerTexts();
}

const REPO = new URL('../../', import.meta.url).pathname;
const DEMO = `${process.env.CARGO_TARGET_DIR ?? `${REPO}target`}/debug/housing-demo`;

/** An RPC of the stack as a demo person, through the platform's own `housing-demo call`. */
export function call(service, method, as, request) {
  const out = execFileSync(DEMO, ['call', service, method, '--as', as, JSON.stringify(request)], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}
