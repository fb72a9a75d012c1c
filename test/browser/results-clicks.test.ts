/** SMS short-link clicks on the Results page, in Chromium against `npm start`: a thank-you's link opened, then counted. */
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
  await browser?.close();
});

type Order = { messages: { message_id: string; rendered: { body?: string } | null }[] };
type Clicks = { data: { kind: string; variant: string; messages: number; clicks: number }[] };

describe('short-link clicks', () => {
  it('counts an opened thank-you link and shows it per message and variant', async () => {
    const orderId = `ord_clicks_${randomBytes(4).toString('hex')}`;
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    const thanks = await waitForMessage(orderId, (m) => m.kind === 'thank_you' && m.status === 'delivered');
    const order = (await apiCall<Order>(`/v1/orders/${orderId}`)).body;
    const text = order.messages.find((m) => m.message_id === thanks.message_id)!.rendered!.body!;
    const link = /\/s\/[0-9A-Za-z]{8}/.exec(text)?.[0];
    expect(link, text).toBeDefined();
    const opened = await fetch(`${inject('baseUrl')}${link}`, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toContain('/a/');

    const row = (await apiCall<Clicks>('/v1/metrics/clicks')).body.data.find((r) => r.kind === 'thank_you');
    expect(row?.clicks).toBeGreaterThanOrEqual(1);

    const { page, outside } = await newPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Results' }).click();
    const table = page.getByTestId('click-results');
    await table.waitFor();
    const cells = await table.locator('tbody tr', { hasText: 'thank_you' }).first().locator('td').allTextContents();
    expect(cells[0]).toBe(`thank_you · ${row!.variant}`);
    expect(Number(cells[1])).toBeGreaterThanOrEqual(1); // messages with a link
    expect(Number(cells[3])).toBeGreaterThanOrEqual(1); // clicks
    expect(cells[4]).toMatch(/^\d+\.\d%$/);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'results-clicks');
    expect(outside).toEqual([]);
  });
});
