/**
 * End-to-end review requests on `npm start` (test/support/stack.ts), driven over HTTP with signed
 * webhooks: with the delay set to 0 a delivered order gets its review request from the pass; a
 * 2-star review alerts staff on the chat channel and sends the buyer care; an order with an open
 * case gets nothing, with the hold on its timeline, until the case closes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClient } from '../support/stack-client.ts';
import { startStack, type DemoShop, type Stack } from '../support/stack.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
let stack: Stack;
let shop: DemoShop;

type View = {
  messages: {
    kind: string;
    status: string;
    reason: string | null;
    rendered: { body?: string; markdown?: string } | null;
  }[];
  review_holds: { step: string; action: string; reason: string }[];
};

const api = (p: string, init: RequestInit = {}) => stackClient(stack.baseUrl, shop).api(p, init);
const send = (type: string, data: Record<string, unknown>) => stackClient(stack.baseUrl, shop).send(type, data);

/** A delivered order of its own buyer (so no other test's messages count against the buyer's budget). */
async function deliveredOrder(prefix: string, beforeDelivery: (orderId: string) => Promise<void> = async () => {}) {
  const orderId = `${prefix}_${randomBytes(4).toString('hex')}`;
  const now = new Date().toISOString();
  const created = JSON.parse(
    readFileSync(path.join(root, 'examples/events/order-created.json'), 'utf8')
      .replaceAll('{{now}}', now)
      .replaceAll('{{order_id}}', orderId),
  ) as { data: Record<string, unknown> & { buyer: Record<string, unknown> } };
  const buyer = { ...created.data.buyer, id: `buyer_${orderId}`, marketing_consent: true };
  expect(await send('order.created', { ...created.data, buyer })).toBe(202);
  await beforeDelivery(orderId);
  const parcel = { carrier: '顺丰速运', tracking_number: `SF${randomBytes(5).toString('hex')}` };
  expect(await send('order.shipped', { order_id: orderId, ...parcel, shipped_at: now })).toBe(202);
  const at = new Date().toISOString();
  expect(await send('shipment.updated', { order_id: orderId, ...parcel, status: 'delivered', occurred_at: at })).toBe(
    202,
  );
  return orderId;
}

const view = async (orderId: string) => (await (await api(`/v1/orders/${orderId}`)).json()) as View;
const run = async () => {
  const res = await api('/v1/runs/review-requests', { method: 'POST' });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ planned: number; skipped: Record<string, number> }>;
};

/**
 * Runs the pass until the order's timeline shows what `done` waits for (up to 10 s). The order's
 * events reach the flow through its queue, which may still be working on them when a run starts:
 * a run then finds the trigger claimed by the queue's job and the request not armed yet.
 */
async function runUntil(orderId: string, done: (v: View) => boolean) {
  for (let i = 0; i < 50; i++) {
    await run();
    if (done(await view(orderId))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the pass did not get ${orderId} there within 10 s: ${JSON.stringify(await view(orderId))}`);
}
const hasRequest = (v: View) => v.messages.some((m) => m.kind === 'review_request');

/** Waits up to 10 s for a delivered message of `kind` on the order's timeline. */
async function deliveredMessage(orderId: string, kind: string) {
  for (let i = 0; i < 50; i++) {
    const found = (await view(orderId)).messages.find((m) => m.kind === kind && m.status === 'delivered');
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no delivered ${kind} on ${orderId} within 10 s: ${JSON.stringify((await view(orderId)).messages)}`);
}

beforeAll(async () => {
  stack = await startStack();
  shop = stack.shop;
  // Due at once, and no quiet hours for this run, whatever the time of day.
  const settings = {
    review_requests: { delay_days: 0, review_url: 'https://tea.example/review/{order_id}' },
    quiet_hours: { start: '03:00', end: '03:01' },
  };
  expect((await api('/v1/shop', { method: 'PATCH', body: JSON.stringify(settings) })).status).toBe(200);
}, 160_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('review requests (npm start)', () => {
  it('asks a delivered buyer for a review, alerts staff on a 2-star review and sends the buyer care', async () => {
    const orderId = await deliveredOrder('ord_e2e_rev');
    await runUntil(orderId, hasRequest);
    // The review link goes out as a short link on the gateway, which redirects to the shop's page.
    const body = (await deliveredMessage(orderId, 'review_request')).rendered!.body!;
    const short = /https?:\/\/[^\s/]+\/s\/[0-9A-Za-z]{8}/.exec(body)![0];
    const hop = await fetch(short, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe(`https://tea.example/review/${orderId}`);
    // Another pass sends nothing more.
    await run();
    expect((await view(orderId)).messages.filter((m) => m.kind === 'review_request')).toHaveLength(1);

    expect(
      await send('review.created', {
        order_id: orderId,
        rating: 2,
        content: '包装破损',
        created_at: new Date().toISOString(),
      }),
    ).toBe(202);
    const alert = await deliveredMessage(orderId, 'negative_review_alert');
    expect(alert.rendered!.markdown).toContain('中差评提醒：2星');
    expect(alert.rendered!.markdown).toContain('包装破损');
    expect((await deliveredMessage(orderId, 'negative_review_care')).rendered!.body).toContain('非常抱歉');
  });

  it('holds the request while a case is open, visibly, and sends it once the case closes', async () => {
    const orderId = await deliveredOrder('ord_e2e_case', async (id) => {
      const opened = { order_id: id, case_id: 'case-1', kind: 'complaint', occurred_at: new Date().toISOString() };
      expect(await send('case.opened', opened)).toBe(202);
    });
    await runUntil(orderId, (v) => v.review_holds.length > 0);
    const held = await view(orderId);
    expect(held.messages.filter((m) => m.kind.startsWith('review_'))).toEqual([]);
    expect(held.review_holds).toEqual([
      { step: 'request', action: 'held', reason: 'held_open_case', at: expect.any(String) },
    ]);

    expect(
      await send('case.closed', { order_id: orderId, case_id: 'case-1', occurred_at: new Date().toISOString() }),
    ).toBe(202);
    await runUntil(orderId, hasRequest);
    await deliveredMessage(orderId, 'review_request');
    expect((await view(orderId)).review_holds.map((h) => `${h.action}:${h.reason}`)).toEqual([
      'held:held_open_case',
      'released:held_open_case',
    ]);
  });
});
