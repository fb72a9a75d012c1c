/** Orders and messages in Chromium against `npm start`: a timeline with a skip reason in words, a retry, the outbox list. */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, sendBody, sendEvent, waitForMessage } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

const phone = encodeURIComponent('+8613800138000'); // the buyer of examples/events/order-created.json
let browser: Browser;
let page: Page;
let outside: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, outside } = await newPage(browser));
  await signIn(page);
});
afterAll(async () => {
  await apiCall(`/v1/blacklist/phone/${phone}`, { method: 'DELETE' });
  await apiCall('/v1/delivery/settings', { method: 'PUT', json: {} });
  await browser?.close();
});

async function findOrder(orderId: string) {
  await page.getByRole('link', { name: 'Orders' }).click();
  await page.getByLabel('Order id').fill(orderId);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByTestId('timeline').waitFor();
}

describe('order timeline', () => {
  it('shows events and messages in time order, with the skip reason in words', async () => {
    const orderId = `ord_skip_${randomBytes(4).toString('hex')}`;
    expect(
      (await apiCall('/v1/blacklist', { method: 'POST', json: { type: 'phone', value: '+8613800138000' } })).status,
    ).toBe(201);
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    await waitForMessage(orderId, (m) => m.kind === 'thank_you' && m.status === 'skipped');
    await apiCall(`/v1/blacklist/phone/${phone}`, { method: 'DELETE' });

    await findOrder(orderId);
    const items = await page.getByTestId('timeline').locator('li').allTextContents();
    expect(items[0]).toContain('order.created');
    expect(items[1]).toContain('order.paid');
    const thanks = items.find((i) => i.includes('thank_you by sms: skipped'));
    expect(thanks).toContain('the recipient is blacklisted');
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'order-timeline');
  });

  it('shows the parcel and its tracking events in time order with the order events, status in words', async () => {
    const orderId = `ord_parcel_${randomBytes(4).toString('hex')}`;
    const now = () => new Date().toISOString();
    const parcel = { order_id: orderId, carrier: 'SF Express', tracking_number: `SF${randomBytes(5).toString('hex')}` };
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    const shippedAt = now();
    await sendBody({ type: 'order.shipped', timestamp: shippedAt, data: { ...parcel, shipped_at: shippedAt } });
    await new Promise((r) => setTimeout(r, 5));
    const movedAt = now();
    await sendBody({
      type: 'shipment.updated',
      timestamp: movedAt,
      data: { ...parcel, status: 'in_transit', occurred_at: movedAt, location: 'Hangzhou hub', detail: 'Departed' },
    });
    for (let i = 0; i < 75; i++) {
      const { body } = await apiCall<{ shipments: { tracking_events?: unknown[] }[] }>(`/v1/orders/${orderId}`);
      if (body.shipments[0]?.tracking_events?.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const thanks = await waitForMessage(orderId, (m) => m.kind === 'thank_you');

    await findOrder(orderId);
    const items = await page.getByTestId('timeline').locator('li').allTextContents();
    const shipped = items.findIndex((i) => i.includes('order.shipped'));
    const moved = items.findIndex((i) => i.includes(`Parcel SF Express ${parcel.tracking_number}`));
    expect(shipped).toBeGreaterThan(items.findIndex((i) => i.includes('order.paid')));
    expect(moved).toBeGreaterThan(shipped);
    expect(items[moved]).toContain('in transit (in_transit)');
    expect(items[moved]).toContain('Hangzhou hub');
    // Every message carries its status in words after the code.
    expect(items.find((i) => i.includes(`thank_you by sms: ${thanks.status}`))).toMatch(
      new RegExp(`thank_you by sms: ${thanks.status} \\([a-z ,]+\\)`),
    );
    await screenshot(page, 'order-parcel');
  });

  it('retries a failed message from the timeline (admin key) and it is then delivered', async () => {
    const orderId = `ord_retry_${randomBytes(4).toString('hex')}`;
    // An SMS provider without credentials makes the thank-you fail; the retry runs after it is fixed.
    const broken = { providers: { sms: ['aliyun_sms'] }, default_route: ['sms'] };
    expect((await apiCall('/v1/delivery/settings', { method: 'PUT', json: broken })).status).toBe(200);
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    const failed = await waitForMessage(orderId, (m) => m.kind === 'thank_you' && m.status === 'failed');
    expect((await apiCall('/v1/delivery/settings', { method: 'PUT', json: {} })).status).toBe(200);

    await findOrder(orderId);
    const entry = page.getByTestId('timeline').locator('li', { hasText: 'thank_you by sms: failed' });
    expect(await entry.textContent()).toContain('no provider configured');
    await entry.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Retry queued.').waitFor();
    await waitForMessage(orderId, (m) => m.message_id === failed.message_id && m.status === 'delivered');
    await screenshot(page, 'order-retry');
  });

  it('lists the outbox filtered by reason', async () => {
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.locator('select[name="reason"]').selectOption('blacklisted');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = () => page.getByTestId('messages').locator('tbody tr').allTextContents();
    await expect
      .poll(
        async () =>
          (await rows()).length > 0 && (await rows()).every((r) => r.includes('the recipient is blacklisted')),
      )
      .toBe(true);
    expect((await rows()).join('\n')).toMatch(/thank_you.*skipped/);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'messages');
    expect(outside).toEqual([]);
  });
});
