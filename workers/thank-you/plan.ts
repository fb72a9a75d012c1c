/**
 * Planning one order's thank-you, run by the flow's `on:order.paid` trigger
 * (armed once, by the first payment the intake sees). In one D1 batch it writes
 * the thank_you message and completes the trigger. An order that moved past
 * `paid` before the trigger ran gets a skipped row with reason `stale_event`
 * instead, so the timeline explains it. Stopping the unpaid reminders is the
 * unpaid-reminders flow's own decision, on the same payment.
 *
 * Idempotent: the trigger is claimed before planning, so a queue redelivery or
 * the sweep finds it done (`not_armed`); the message's business key covers the rest.
 */
import { dayWordsUntil } from '../../shared/time/shipping';
import type { BatchItem } from 'drizzle-orm/batch';
import { dbFor } from '../../shared/db/client';
import { customerByKey } from '../../shared/db/reads';
import type { Order } from '../../shared/db/schema';
import {
  enqueuePrepared,
  prepareMessage,
  type DispatchJob,
  type PlanRequest,
  type PlanResult,
} from '../../shared/delivery/plan';
import { orderAndShop } from '../../shared/orders/load';
import type { TriggerHandler } from '../../shared/flows/triggers';
import { runTrigger } from '../../shared/flows/triggers';
import { thankYouData } from './variables';
import { shortLinkInserts } from '../../shared/links/shorten';

export type ThankYouEnv = Cloudflare.ThankYouEnv;

export type ThankYouOutcome =
  | { status: 'planned'; message: PlanResult }
  | { status: 'stale_event'; state: Order['state']; message: PlanResult }
  /** The trigger is not armed: an earlier run planned it (or the order was never paid). */
  | { status: 'not_armed' }
  | { status: 'no_order' };

/** Shops and buyers set no default locale yet; Chinese is the product's home market. */
const FALLBACK_LOCALE = 'zh-CN';
export const THANK_YOU_TRIGGER = 'on:order.paid';

/** The trigger handler, queuing planned messages on `queue`. */
export function thankYouHandler(
  queue: Queue<DispatchJob> | undefined,
): TriggerHandler<ThankYouEnv, Exclude<ThankYouOutcome, { status: 'not_armed' }>> {
  return async (env, { now, timer, done }) => {
    const db = dbFor(env, timer.shopId);
    const [order, shop] = await orderAndShop(db, timer.shopId, timer.orderId);
    if (!order || !shop) {
      await db.batch([done]);
      return { status: 'no_order' };
    }
    const customer = order.buyerId ? ((await customerByKey(db, shop.id, order.buyerId)) ?? null) : null;
    const locale = customer?.locale ?? FALLBACK_LOCALE;
    const request: PlanRequest = {
      shop,
      orderId: order.id,
      customer,
      kind: 'thank_you',
      step: 0,
      locale,
      data: {},
      audience: { returning: false },
      expectsOrderState: 'paid',
      // Its ship day is "today" or "tomorrow" as of now: after midnight that is no longer true.
      sendBy: dayWordsUntil(now, shop.timezone),
      publicUrl: env.PUBLIC_URL,
    };
    const stale = order.state !== 'paid';
    const input = { shop, order, customer, locale, publicUrl: env.PUBLIC_URL, linkSecret: env.ENCRYPTION_KEY, now };
    const prepared = await prepareMessage(
      db,
      stale ? { ...request, skipReason: 'stale_event' } : { ...request, ...(await thankYouData(db, input)) },
      now,
    );
    const links = shortLinkInserts(db, prepared.shortLinks);
    const [inserted] = await db.batch([prepared.insert, ...links, done] as [
      typeof prepared.insert,
      ...BatchItem<'sqlite'>[],
    ]);
    const message = await enqueuePrepared(queue, prepared, inserted, now);
    return stale ? { status: 'stale_event', state: order.state, message } : { status: 'planned', message };
  };
}

/** Runs the order's thank-you trigger now (a queue job, or a test). */
export function planThankYou(
  env: ThankYouEnv,
  job: { shopId: string; orderId: string },
  now = new Date(),
  queue: Queue<DispatchJob> | undefined = env.DISPATCH as Queue<DispatchJob>,
): Promise<ThankYouOutcome> {
  const key = { shopId: job.shopId, orderId: job.orderId, flow: 'thank-you', step: THANK_YOU_TRIGGER } as const;
  return runTrigger(env, key, thankYouHandler(queue), now);
}
