/**
 * The thank-you's life around payment: duplicate paid events giving one
 * thank-you, and a job that finds the order already shipped recording a
 * skipped `stale_event` on the timeline. (Payment stopping the reminders is the
 * unpaid-reminders flow's decision: workers/unpaid-reminders/triggers.test.ts.)
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { messages, orders } from '../../shared/db/schema';
import { newId } from '../../shared/crypto/random';
import { orderCreated, orderPaid, orderShipped } from '../../test/helpers/events';
import type { TestShop } from '../../test/helpers/gateway';
import {
  createShopThrough,
  gatewayBindings,
  gatewayFetch,
  messagesOf,
  orderRow,
  recorder,
  sendSigned,
  type Gateway,
} from '../../test/helpers/thank-you';
import { planThankYou } from './plan';
import { and, eq } from 'drizzle-orm';

const MIN = 60_000;
let gw: Gateway;
let shop: TestShop;

beforeAll(async () => {
  gw = gatewayBindings();
  shop = await createShopThrough(gw);
});

async function created(orderId: string, at = Date.now() - 30 * MIN) {
  expect((await sendSigned(gw, shop, orderCreated(orderId, at))).status).toBe(202);
}

async function paid(orderId: string, at = Date.now() - 20 * MIN, webhookId?: string) {
  gw.thankYou.sent.length = 0;
  const res = await sendSigned(gw, shop, orderPaid(orderId, at), webhookId);
  return { status: res.status, jobs: [...gw.thankYou.sent] };
}

describe('payment side effects', () => {
  it('gives one thank-you for repeated and concurrent paid events', async () => {
    const orderId = 'ty-dupes';
    await created(orderId);
    const first = await paid(orderId, Date.now() - 20 * MIN, 'msg_paid_once');
    expect(first).toMatchObject({ status: 202, jobs: [{ shopId: shop.shop_id, orderId }] });
    // The same delivery again: the intake answers duplicate and queues nothing.
    expect(await paid(orderId, Date.now() - 20 * MIN, 'msg_paid_once')).toEqual({ status: 200, jobs: [] });
    // The platform sends the payment again under a new id: accepted, queued, and the trigger is not re-armed.
    const second = await paid(orderId, Date.now() - 19 * MIN);
    expect(second.status).toBe(202);

    const outcomes = await Promise.all(
      [...first.jobs, ...second.jobs, ...first.jobs].map((job) => planThankYou(env, job, new Date(), recorder())),
    );
    expect(outcomes.filter((o) => o.status === 'planned' && !o.message.duplicate)).toHaveLength(1);
    expect(outcomes.every((o) => o.status === 'planned' || o.status === 'not_armed')).toBe(true);
    expect((await messagesOf(shop.shop_id, orderId)).filter((m) => m.kind === 'thank_you')).toHaveLength(1);

    // A payment arriving after all that does not arm a second thank-you either.
    const late = await paid(orderId, Date.now() - 10 * MIN);
    expect(await planThankYou(env, late.jobs[0]!, new Date(), recorder())).toEqual({ status: 'not_armed' });
  });

  it('records a skipped stale_event when the order shipped before the job ran', async () => {
    const orderId = 'ty-stale';
    await created(orderId);
    const { jobs } = await paid(orderId);
    expect((await sendSigned(gw, shop, orderShipped(orderId, Date.now() - 5 * MIN))).status).toBe(202);

    const queue = recorder();
    expect(await planThankYou(env, jobs[0]!, new Date(), queue)).toMatchObject({
      status: 'stale_event',
      state: 'shipped',
      message: { status: 'skipped', reason: 'stale_event' },
    });
    expect(queue.sent).toEqual([]);
    expect((await orderRow(shop.shop_id, orderId))?.thankYouDueAt).toBeNull();

    const res = await gatewayFetch(gw, `/v1/orders/${orderId}`, { key: shop.api_key });
    const view = (await res.json()) as {
      messages: { kind: string; status: string; reason: string; rendered: unknown }[];
    };
    expect(view.messages).toEqual([
      expect.objectContaining({ kind: 'thank_you', status: 'skipped', reason: 'stale_event', rendered: null }),
    ]);
  });

  it('treats a paid event that arrives only after shipping as stale too', async () => {
    const orderId = 'ty-late-paid';
    await created(orderId, Date.now() - 60 * MIN);
    expect((await sendSigned(gw, shop, orderShipped(orderId, Date.now() - 5 * MIN))).status).toBe(202);
    const { jobs } = await paid(orderId, Date.now() - 50 * MIN);
    expect(await planThankYou(env, jobs[0]!, new Date(), recorder())).toMatchObject({ status: 'stale_event' });
  });
});
