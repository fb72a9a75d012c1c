/** Settings, results and the offline /docs page in Chromium against `npm start`. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiCall } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('settings', () => {
  it('shows the API rejection of a bad cutoff under that field and changes nothing', async () => {
    const { page, outside } = await newPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    const cutoff = page.getByLabel('Shipping cutoff (HH:MM, local)');
    await expect.poll(() => cutoff.inputValue()).toMatch(/^\d\d:\d\d$/);
    const before = await cutoff.inputValue();
    await cutoff.fill('25:99');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('error-shipping_cutoff').textContent()).toContain('HH:MM');
    expect(await cutoff.getAttribute('aria-invalid')).toBe('true');
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'settings-bad-cutoff');
    const { body } = await apiCall<{ shipping_cutoff: string }>('/v1/shop');
    expect(body.shipping_cutoff).toBe(before);

    await cutoff.fill('17:30');
    await page.getByLabel('Price per SMS part (e.g. 0.045)').fill('0.045');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect((await apiCall<{ shipping_cutoff: string }>('/v1/shop')).body.shipping_cutoff).toBe('17:30');
    const delivery = await apiCall<{ sms_price: unknown }>('/v1/delivery/settings');
    expect(delivery.body.sms_price).toEqual({ per_part: '0.045', currency: 'CNY' });
    expect(outside).toEqual([]);
  });
});

describe('blacklist', () => {
  it('refuses a malformed phone with the API message, then adds and removes a valid one', async () => {
    const { page, outside } = await newPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    const value = page.getByLabel('Phone (E.164), email or buyer id');
    await value.fill('13800138000');
    await page.getByRole('button', { name: 'Add to blacklist' }).click();
    await page.getByTestId('error-blacklist-value').waitFor();
    await value.fill('+8613911112222');
    await page.getByRole('button', { name: 'Add to blacklist' }).click();
    await expect.poll(() => page.getByTestId('blacklist').textContent()).toContain('+8613911112222');
    await page.getByRole('button', { name: 'Remove +8613911112222' }).click();
    await expect.poll(() => page.getByTestId('blacklist').textContent()).not.toContain('+8613911112222');
    expect(await unlabelled(page)).toEqual([]);
    expect(outside).toEqual([]);
  });
});

describe('results', () => {
  it('shows the reminder recovery of the last 30 days', async () => {
    const { page, outside } = await newPage(browser, { width: 390, height: 844 });
    await signIn(page);
    await page.getByRole('link', { name: 'Results' }).click();
    await page.getByTestId('results').waitFor();
    await page.locator('[data-testid="recovery-chart"], [data-testid="results-empty"]').first().waitFor();
    await screenshot(page, 'results-phone');
    expect(outside).toEqual([]);
  });
});

describe('/docs offline', () => {
  it('renders the API reference with every request outside 127.0.0.1 blocked', async () => {
    const { page, outside } = await newPage(browser);
    const response = await page.goto(`${inject('baseUrl')}/docs`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Receive a signed order event').first().waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'orderbell API' }).first().waitFor();
    await screenshot(page, 'docs', false); // the whole reference is ~40 000 px tall
    expect(outside).toEqual([]);
  });
});
