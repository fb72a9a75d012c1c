/**
 * A real headless Chromium for the console tests, through playwright-core.
 *
 * The browser is the Linux build inside the `@sparticuz/chromium` npm package, so `npm install`
 * is all a fresh machine needs; set ORDERBELL_CHROMIUM to use another one (e.g. /usr/bin/chromium).
 * Every request that leaves 127.0.0.1 is aborted and recorded, so a test can assert that none was made.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const artifactsDir = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts');

export async function launch(): Promise<Browser> {
  const executablePath = process.env.ORDERBELL_CHROMIUM || (await sparticuz.executablePath());
  return chromium.launch({ executablePath, args });
}

export type ConsolePage = { page: Page; outside: string[] };

/** A new page (laptop-sized unless told) whose requests outside 127.0.0.1 are blocked and listed in `outside`. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    outside.push(url.href);
    return route.abort('blockedbyclient');
  });
  return { page: await context.newPage(), outside };
}

/** Opens the console and signs in with `key` (the demo shop's admin key by default). */
export async function signIn(page: Page, key = inject('shop').api_key): Promise<void> {
  await page.goto(`${inject('baseUrl')}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('shop-name').waitFor();
}

/** Saves a screenshot (full page unless told) as a test artifact (test-artifacts/ is git-ignored). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage });
}

/** Form controls on the page without an accessible name (a label, aria-label, or a button's text). */
export function unlabelled(page: Page): Promise<string[]> {
  // A string, so that this Node-side file needs no DOM types; it runs in the page.
  return page.evaluate(`
    [...document.querySelectorAll('input, select, textarea, button, [contenteditable="true"]')]
      .filter((el) => !((el.labels && el.labels.length > 0) || el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => el.outerHTML.slice(0, 120))
  `);
}
