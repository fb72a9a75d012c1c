/** Review-request results in Chromium against `npm start`: a request sent, a review received, shown per day and variant. */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, sendBody, sendEvent, waitForMessage } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

let browser: Browser;
let saved: { review_requests: unknown; quiet_hours: unknown };
beforeAll(async () => {
  const { review_requests, quiet_hours } = (await apiCall<typeof saved>('/v1/shop')).body;
  saved = { review_requests, quiet_hours };
  browser = await launch();
});
afterAll(async () => {
  await apiCall('/v1/shop', { method: 'PATCH', json: saved });
  await browser?.close();
});

const now = () => new Date().toISOString();

/** An order created, paid, shipped and completed: its review request is due at once (delay_days 0). */
async function completedOrder(orderId: string) {
  await sendEvent('order-created.json', orderId);
  await sendEvent('order-paid.json', orderId);
  await sendEvent('order-shipped.json', orderId);
  await sendBody({ type: 'order.completed', timestamp: now(), data: { order_id: orderId, completed_at: now() } });
  await waitForMessage(orderId, () => true);
}

type OrderView = { messages: { kind: string }[]; review_holds: { action: string }[] };

/**
 * Runs the review pass until the order shows `done` (up to 10 s): the order's events reach the
 * flow through its queue, which may still be on them when a run starts.
 */
async function runPassUntil(orderId: string, done: (order: OrderView) => boolean) {
  for (let i = 0; i < 50; i++) {
    expect((await apiCall('/v1/runs/review-requests', { method: 'POST' })).status).toBe(200);
    if (done((await apiCall<OrderView>(`/v1/orders/${orderId}`)).body)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Metrics = { data: { date: string; variant: string; requests_sent: number; reviews_received: number }[] };

describe('review results', () => {
  beforeAll(async () => {
    // A review request is a service message: it waits out quiet hours, so these start two hours from now (shop time, +08:00).
    const hour = (h: number) => `${String((new Date().getUTCHours() + 8 + h) % 24).padStart(2, '0')}:00`;
    const patch = {
      review_requests: { delay_days: 0, reminder: false, care: false },
      quiet_hours: { start: hour(2), end: hour(3) },
    };
    expect((await apiCall('/v1/shop', { method: 'PATCH', json: patch })).status).toBe(200);
  });

  it('shows the requests sent and the review received, per day and variant, with a chart', async () => {
    const orderId = `ord_review_${randomBytes(4).toString('hex')}`;
    await completedOrder(orderId);
    await runPassUntil(orderId, (o) => o.messages.some((m) => m.kind === 'review_request'));
    await waitForMessage(orderId, (m) => m.kind === 'review_request' && ['sent', 'delivered'].includes(m.status));
    await sendBody({
      type: 'review.created',
      timestamp: now(),
      data: { order_id: orderId, rating: 2, content: 'Box was crushed', created_at: now() },
    });
    let metrics: Metrics | undefined;
    for (let i = 0; i < 75 && !metrics?.data.some((r) => r.reviews_received > 0); i++) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      metrics = (await apiCall<Metrics>('/v1/metrics/review-requests')).body;
    }
    const row = metrics!.data.find((r) => r.reviews_received > 0)!;
    expect(row).toMatchObject({ requests_sent: 1, reviews_received: 1 });

    const { page, outside } = await newPage(browser, { width: 390, height: 844 });
    await signIn(page);
    await page.getByRole('link', { name: 'Results' }).click();
    await page.getByTestId('review-chart').waitFor();
    const cells = await page.getByTestId('review-results').locator('tbody tr').first().locator('td').allTextContents();
    expect(cells).toEqual([row.date, row.variant, '1', '0', '1', '100.0%', '2.00', '100.0%']);
    const card = await page.getByTestId('review-variants').textContent();
    expect(card).toContain(row.variant);
    expect(card).toMatch(/Review rate\s*100\.0%/);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'review-results-phone');
    expect(outside).toEqual([]);
  });

  it('puts the review request held while a case is open, and its release, on the order timeline', async () => {
    const orderId = `ord_hold_${randomBytes(4).toString('hex')}`;
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    await sendBody({
      type: 'case.opened',
      timestamp: now(),
      data: { order_id: orderId, case_id: 'case-1', kind: 'complaint', occurred_at: now() },
    });
    await sendEvent('order-shipped.json', orderId);
    await sendBody({ type: 'order.completed', timestamp: now(), data: { order_id: orderId, completed_at: now() } });
    await waitForMessage(orderId, () => true);
    await runPassUntil(orderId, (o) => o.review_holds.some((h) => h.action === 'held'));
    await sendBody({
      type: 'case.closed',
      timestamp: now(),
      data: { order_id: orderId, case_id: 'case-1', occurred_at: now() },
    });
    await runPassUntil(orderId, (o) => o.review_holds.some((h) => h.action === 'released'));

    const { page } = await newPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel('Order id').fill(orderId);
    await page.getByRole('button', { name: 'Find' }).click();
    const holds = page.getByTestId('timeline').getByTestId('review-hold');
    await expect
      .poll(() => holds.allTextContents())
      .toEqual([
        'Review request held: an after-sales case is open',
        'Review request released (was held: an after-sales case is open)',
      ]);
    const items = await page.getByTestId('timeline').locator('li').allTextContents();
    const held = items.findIndex((i) => i.includes('Review request held'));
    expect(held).toBeGreaterThan(items.findIndex((i) => i.includes('order.completed')));
    await screenshot(page, 'order-review-hold');
  });
});
