/** Driving the flow in tests with a controlled clock: its trigger, its pass, and what it left behind. */
import { env } from 'cloudflare:workers';
import { and, asc, eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { flowTimers, messages, reviewHolds, type Message } from '../../shared/db/schema';
import type { WebhookEventType } from '../../shared/events/webhook';
import { arm } from '../../shared/flows/timers';
import { runTrigger } from '../../shared/flows/triggers';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { recorder } from '../../test/helpers/queues';
import { runPass } from './pass';
import { reviewHandler } from './triggers';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** 10:00 in Shanghai (the shop's zone), well outside the default quiet hours 21:00-08:00. */
export const T0 = Date.parse('2026-11-20T02:00:00Z');

export async function setup(settings: Record<string, unknown> = {}) {
  const shop = await seedShop({ reviewRequests: settings });
  const buyer = await seedCustomer(shop.id, { marketingConsent: true });
  const order = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2 });
  return { shop, buyer, order };
}

/** The trigger an event of `type` writes, run at `now`. */
export async function trigger(shopId: string, orderId: string, type: WebhookEventType, now: number) {
  const key = { shopId, flow: 'review-requests' as const, orderId, step: `on:${type}` };
  await arm(db(env.DB), key, new Date(now), new Date(now), { rearm: true });
  return runTrigger(env, key, reviewHandler(recorder()), new Date(now));
}

export const pass = (shopId: string, now: number) =>
  runPass({ ...env, DISPATCH: recorder() as Queue, DISPATCH_SCHEDULED: recorder() as Queue }, new Date(now), shopId);

export const timeline = (shopId: string, orderId: string): Promise<Message[]> =>
  db(env.DB).query.messages.findMany({
    where: and(eq(messages.shopId, shopId), eq(messages.orderId, orderId)),
    orderBy: [asc(messages.kind), asc(messages.step)],
  });

/** `kind:step:status[:reason]` of each of the order's messages. */
export const kinds = async (shopId: string, orderId: string) =>
  (await timeline(shopId, orderId)).map((m) => `${m.kind}:${m.step}:${m.status}${m.reason ? `:${m.reason}` : ''}`);

export const holds = async (shopId: string, orderId: string) =>
  (
    await db(env.DB).query.reviewHolds.findMany({
      where: and(eq(reviewHolds.shopId, shopId), eq(reviewHolds.orderId, orderId)),
      orderBy: [asc(reviewHolds.createdAt)],
    })
  ).map((h) => `${h.step}:${h.action}:${h.reason}`);

/** When the order's timer of `step` is due (null once done; undefined if never armed). */
export async function dueOf(shopId: string, orderId: string, step: string) {
  const row = await db(env.DB).query.flowTimers.findFirst({
    where: and(
      eq(flowTimers.shopId, shopId),
      eq(flowTimers.flow, 'review-requests'),
      eq(flowTimers.orderId, orderId),
      eq(flowTimers.step, step),
    ),
  });
  return row ? (row.dueAt?.getTime() ?? null) : undefined;
}
