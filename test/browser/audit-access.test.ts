/** Audit log, platform connections, opt-out clearing and scope hiding in Chromium against `npm start`. */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiCall, sendEvent, waitForMessage } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await apiCall('/v1/integrations/aftership', { method: 'DELETE' });
  await browser?.close();
});

describe('opt-out clearing and the audit log (admin key)', () => {
  it("clears a buyer's email opt-out, refuses a second clear at the field, and shows both in the audit log", async () => {
    // The demo buyer opts out of email through a message's one-click unsubscribe link.
    const orderId = `ord_optout_${randomBytes(4).toString('hex')}`;
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    const message = await waitForMessage(orderId, () => true);
    const { shop_id } = inject('shop');
    const unsubscribe = await fetch(`${inject('baseUrl')}/v1/unsubscribe/${shop_id}/${message.message_id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribe.status).toBe(200);

    const { page, outside } = await newPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: "Clear a buyer's opt-out" });
    await form.getByLabel('Buyer id').fill('buyer_10001');
    await form.getByLabel('Channel').selectOption('email');
    await form.getByRole('button', { name: 'Clear opt-out' }).click();
    await form.getByRole('status').getByText('buyer_10001 gets email messages again.').waitFor();
    await form.getByRole('button', { name: 'Clear opt-out' }).click();
    await expect.poll(() => page.getByTestId('error-buyer_id').textContent()).toContain('has not opted out of email');
    expect(await form.getByLabel('Buyer id').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action (e.g. shop.update)').fill('customer.opt_in');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = () => page.getByTestId('audit').locator('tbody tr').allTextContents();
    // The unfiltered page is shown first: wait for the filtered one.
    const filtered = async () => {
      const all = await rows();
      return all.length > 0 && all.every((r) => r.includes('customer.opt_in'));
    };
    await expect.poll(filtered).toBe(true);
    expect((await rows())[0]).toContain('"source":"api"');

    // Phones are masked by the API: the blacklisted number never shows whole.
    await apiCall('/v1/blacklist', { method: 'POST', json: { type: 'phone', value: '+8613912345678' } });
    await apiCall(`/v1/blacklist/phone/${encodeURIComponent('+8613912345678')}`, { method: 'DELETE' });
    await page.getByLabel('Action (e.g. shop.update)').fill('blacklist.add');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByTestId('audit').textContent()).toContain('blacklist.add');
    expect(await page.getByTestId('audit').textContent()).not.toContain('13912345678');
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'audit-log');
    expect(outside).toEqual([]);
  });
});

describe('platform connections', () => {
  it('lists every platform with its state and the callback URL of a connected one', async () => {
    const secret = 'aftership_browser_secret_0123456789';
    const put = await apiCall('/v1/integrations/aftership', { method: 'PUT', json: { webhook_secret: secret } });
    expect(put.status).toBe(200);
    const { page } = await newPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    const list = page.getByTestId('integrations');
    await expect.poll(() => list.locator('li', { hasText: 'aftership' }).textContent()).toContain('connected');
    expect(await list.locator('li', { hasText: 'aftership' }).textContent()).toContain(
      `/v1/integrations/aftership/${inject('shop').shop_id}`,
    );
    expect(await list.locator('li', { hasText: 'shopify' }).textContent()).toContain('not connected');
    expect(await page.content()).not.toContain(secret);
  });
});

describe('scope hiding', () => {
  it('a read-only key sees no audit page and no forms that change settings', async () => {
    const issued = await apiCall<{ api_key: string }>('/v1/api-keys', {
      method: 'POST',
      json: { name: 'browser reader', scopes: ['read'] },
    });
    expect(issued.status).toBe(201);
    const { page, outside } = await newPage(browser, { width: 390, height: 844 });
    await signIn(page, issued.body.api_key);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('integrations').getByText('aftership').waitFor();
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: "Clear a buyer's opt-out" }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Save|^Import|^Disconnect|^Remove/ }).count()).toBe(0);
    expect(await page.getByTestId('providers').count()).toBe(1);
    await screenshot(page, 'settings-read-only-phone');
    expect(outside).toEqual([]);
  });
});
