/**
 * The worker's two triggers and the send-time rule for its message: the queue
 * consumer (ack per message, malformed jobs acked, failures retried), the
 * one-minute sweep (the shared timer sweep, tested in shared/flows) as the
 * safety net when the gateway could not queue, and quiet hours (sent at once unless the shop defers).
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { shops } from '../../shared/db/schema';
import { orderCreated, orderPaid } from '../../test/helpers/events';
import {
  createShopThrough,
  dispatchWith,
  gatewayBindings,
  messagesOf,
  orderRow,
  recorder,
  runThankYouQueue,
  sendSigned,
} from '../../test/helpers/thank-you';
import worker from './index';
import { planThankYou } from './plan';
import { sweepDue } from './sweep';

const MIN = 60_000;
const noFetch = (async () => {
  throw new Error('no outbound request expected');
}) as unknown as typeof fetch;

async function paidOrder(gw = gatewayBindings(), orderId = `ty-${crypto.randomUUID()}`) {
  const shop = await createShopThrough(gw);
  await sendSigned(gw, shop, orderCreated(orderId, Date.now() - 30 * MIN));
  const res = await sendSigned(gw, shop, orderPaid(orderId, Date.now() - 20 * MIN));
  return { gw, shop, orderId, res };
}

describe('queue consumer', () => {
  it('plans each job and acks it; a malformed job is acked and dropped', async () => {
    const { gw, shop, orderId } = await paidOrder();
    const result = await runThankYouQueue([...gw.thankYou.sent, { nope: true }]);
    expect(result.explicitAcks.sort()).toEqual(['job-0', 'job-1']);
    expect(result.retryMessages).toEqual([]);
    expect((await messagesOf(shop.shop_id, orderId)).map((m) => [m.kind, m.status])).toEqual([['thank_you', 'queued']]);
  });

  it('retries only the job that failed', async () => {
    const { gw } = await paidOrder();
    const down = () => {
      throw new Error('D1 down');
    };
    const broken = { ...env, DB: { prepare: down, batch: down } as unknown as D1Database };
    const result = await runThankYouQueue(gw.thankYou.sent, broken);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([expect.objectContaining({ msgId: 'job-0' })]);
  });
});

describe('sweep', () => {
  it('accepts the webhook when the queue is down, and the sweep plans the order a minute later', async () => {
    const gw = gatewayBindings();
    gw.bindings.THANK_YOU_QUEUE = {
      send: () => Promise.reject(new Error('queue unavailable')),
    } as unknown as Queue;
    const { shop, orderId, res } = await paidOrder(gw);
    expect(res.status).toBe(202);
    const armed = (await orderRow(shop.shop_id, orderId))!.thankYouDueAt!;

    const early = await sweepDue(env, new Date(armed.getTime() + 30_000), recorder());
    expect(early.outcomes.planned ?? 0).toBe(0);
    expect(await messagesOf(shop.shop_id, orderId)).toEqual([]);

    const queue = recorder();
    const later = await sweepDue(env, new Date(armed.getTime() + 61_000), queue);
    expect(later.outcomes.planned).toBeGreaterThanOrEqual(1);
    const [thanks] = await messagesOf(shop.shop_id, orderId);
    expect(thanks).toMatchObject({ kind: 'thank_you', status: 'queued' });
    expect(queue.sent).toContainEqual({ shopId: shop.shop_id, messageId: thanks!.id });
    expect((await sweepDue(env, new Date(armed.getTime() + 120_000), recorder())).due).toBe(0);
  });

  it('runs from the cron handler', async () => {
    const { shop, orderId } = await paidOrder();
    const armed = (await orderRow(shop.shop_id, orderId))!.thankYouDueAt!;
    await worker.scheduled(createScheduledController({ scheduledTime: armed.getTime() + 2 * MIN }), env);
    expect((await messagesOf(shop.shop_id, orderId)).map((m) => m.kind)).toEqual(['thank_you']);
  });

  it('backs a failing order off instead of retrying it every minute', async () => {
    const { shop, orderId } = await paidOrder();
    const armed = (await orderRow(shop.shop_id, orderId))!.thankYouDueAt!;
    await db(env.DB)
      .update(shops)
      .set({ delivery: { routes: 'not-a-route' } })
      .where(eq(shops.id, shop.shop_id));
    const now = new Date(armed.getTime() + 2 * MIN);
    const result = await sweepDue(env, now, recorder());
    expect(result.failed).toBeGreaterThanOrEqual(1);
    const row = await orderRow(shop.shop_id, orderId);
    expect(row!.thankYouDueAt!.getTime()).toBeGreaterThan(now.getTime());
  });
});

describe('quiet hours', () => {
  // 23:00 in Shanghai, inside the default 21:00-08:00 quiet hours.
  const night = new Date('2026-03-02T15:00:00Z');

  async function plannedAtNight(delivery?: Record<string, unknown>) {
    const { shop, orderId } = await paidOrder();
    if (delivery) await db(env.DB).update(shops).set({ delivery }).where(eq(shops.id, shop.shop_id));
    const outcome = await planThankYou(env, { shopId: shop.shop_id, orderId }, night, recorder());
    if (outcome.status !== 'planned') throw new Error(outcome.status);
    return { shopId: shop.shop_id, messageId: outcome.message.id };
  }

  it('sends the transactional thank-you at once by default', async () => {
    const job = await plannedAtNight();
    expect(await dispatchWith(job, noFetch, night)).toEqual({ status: 'delivered' });
  });

  it("holds it until the morning when the shop chose transactional_quiet_hours 'defer'", async () => {
    const job = await plannedAtNight({ transactional_quiet_hours: 'defer' });
    expect(await dispatchWith(job, noFetch, night)).toEqual({ status: 'queued', reason: 'quiet_hours_deferred' });
    const [row] = await db(env.DB).query.messages.findMany({ where: (m, { eq }) => eq(m.id, job.messageId) });
    expect(row).toMatchObject({ status: 'queued', reason: 'quiet_hours_deferred' });
    expect(row!.dueAt).toEqual(new Date('2026-03-03T00:00:00Z'));
  });
});
