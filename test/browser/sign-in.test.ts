/** Sign-in, scope display, language switch and security headers, in Chromium against `npm start`. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiCall } from './api.ts';
import { launch, newPage, screenshot, signIn } from './chromium.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('console sign-in', () => {
  it('rejects a wrong key with a clear message and keeps the user on the sign-in form', async () => {
    const { page, outside } = await newPage(browser);
    await page.goto(`${inject('baseUrl')}/console/`);
    await page.getByLabel('API key').fill('obk_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown or revoked');
    await screenshot(page, 'sign-in-wrong-key');
    expect(outside).toEqual([]);
  });

  it('signs in with the demo shop key, shows the shop and the scope, and switches to zh-CN', async () => {
    const { page, outside } = await newPage(browser);
    const response = await page.goto(`${inject('baseUrl')}/console/`);
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    expect(response!.headers()['referrer-policy']).toBe('no-referrer');

    await signIn(page);
    expect(await page.getByTestId('shop-name').textContent()).toBe('Demo Shop');
    expect(await page.getByTestId('key-scope').textContent()).toContain('admin');
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toContain('orderbell.apiKey');
    expect(await page.evaluate(() => Object.keys(localStorage))).not.toContain('orderbell.apiKey');
    await screenshot(page, 'signed-in');

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '模板' }).waitFor();
    expect(await page.getByTestId('key-scope').textContent()).toContain('管理员');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(outside).toEqual([]);
  });
});

describe('scopes', () => {
  it('shows a templates-only key nothing but the templates it may edit', async () => {
    const issued = await apiCall<{ api_key: string }>('/v1/api-keys', {
      method: 'POST',
      json: { name: 'copywriter', scopes: ['templates'] },
    });
    expect(issued.status).toBe(201);
    const { page, outside } = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, issued.body.api_key);
    expect(await page.getByTestId('key-scope').textContent()).toBe('templates (editing)');
    const nav = await page.getByRole('navigation', { name: 'main' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Templates', 'API docs']);
    await page.getByRole('heading', { name: 'Unpaid reminders' }).waitFor();
    await screenshot(page, 'templates-key-phone');
    expect(outside).toEqual([]);
  });
});
