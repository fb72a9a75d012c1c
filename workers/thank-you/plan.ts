/**
 * Planning one order's thank-you. In one D1 batch (one transaction) it writes
 * the thank_you message, cancels the order's pending unpaid and pre-close
 * reminders (reason `paid`), and clears the order's reminder due times and its
 * thank-you trigger. An order that moved past `paid` before the job ran gets a
 * skipped row with reason `stale_event` instead, so the timeline explains it.
 *
 * Idempotent: the trigger (`thank_you_due_at`) is armed once, by the first
 * payment the intake sees, and cleared here; the message's business key makes
 * a racing second run (queue redelivery, the sweep) a no-op.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { db as drizzleDb, type Db } from '../../shared/db/client';
import { customers, messages, orders, shops, type Order } from '../../shared/db/schema';
import {
  enqueuePrepared,
  prepareMessage,
  type DispatchJob,
  type PlanRequest,
  type PlanResult,
} from '../../shared/delivery/plan';
import type { ThankYouJob } from '../../shared/events/thank-you';
import { thankYouData } from './variables';

export type ThankYouEnv = Cloudflare.ThankYouEnv;

export type ThankYouOutcome =
  | { status: 'planned'; message: PlanResult; cancelledReminders: number }
  | { status: 'stale_event'; state: Order['state']; message: PlanResult }
  /** The trigger is not armed: an earlier run planned it (or the order was never paid). */
  | { status: 'not_armed' }
  | { status: 'no_order' };

const REMINDERS = ['unpaid_reminder', 'preclose_reminder'];
/** Shops and buyers set no default locale yet; Chinese is the product's home market. */
const FALLBACK_LOCALE = 'zh-CN';

const orderKey = (o: Pick<Order, 'shopId' | 'id'>) => and(eq(orders.shopId, o.shopId), eq(orders.id, o.id));

function cancelPendingReminders(db: Db, order: Order, now: Date) {
  return db
    .update(messages)
    .set({ status: 'cancelled', reason: 'paid', dueAt: null, updatedAt: now })
    .where(
      and(
        eq(messages.shopId, order.shopId),
        eq(messages.orderId, order.id),
        inArray(messages.kind, REMINDERS),
        inArray(messages.status, ['planned', 'queued']),
      ),
    )
    .returning({ id: messages.id });
}

export async function planThankYou(
  env: ThankYouEnv,
  job: ThankYouJob,
  now = new Date(),
  queue: Queue<DispatchJob> | undefined = env.DISPATCH as Queue<DispatchJob>,
): Promise<ThankYouOutcome> {
  const db = drizzleDb(env.DB);
  const [order, shop] = await Promise.all([
    db.query.orders.findFirst({ where: orderKey({ shopId: job.shopId, id: job.orderId }) }),
    db.query.shops.findFirst({ where: eq(shops.id, job.shopId) }),
  ]);
  if (!order || !shop) return { status: 'no_order' };
  if (!order.thankYouDueAt) return { status: 'not_armed' };
  const customer = order.buyerId
    ? ((await db.query.customers.findFirst({
        where: and(eq(customers.shopId, shop.id), eq(customers.id, order.buyerId)),
      })) ?? null)
    : null;
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
  };

  if (order.state !== 'paid') {
    const prepared = await prepareMessage(db, { ...request, skipReason: 'stale_event' }, now);
    const [inserted] = await db.batch([
      prepared.insert,
      db.update(orders).set({ thankYouDueAt: null, updatedAt: now }).where(orderKey(order)),
    ]);
    return {
      status: 'stale_event',
      state: order.state,
      message: await enqueuePrepared(queue, prepared, inserted, now),
    };
  }

  const { data, audience } = await thankYouData(db, {
    shop,
    order,
    customer,
    locale,
    publicUrl: env.PUBLIC_URL,
    linkSecret: env.ENCRYPTION_KEY,
    now,
  });
  const prepared = await prepareMessage(db, { ...request, data, audience }, now);
  const [inserted, cancelled] = await db.batch([
    prepared.insert,
    cancelPendingReminders(db, order, now),
    db
      .update(orders)
      .set({ reminderDueAt: null, precloseDueAt: null, thankYouDueAt: null, updatedAt: now })
      .where(orderKey(order)),
  ]);
  const message = await enqueuePrepared(queue, prepared, inserted, now);
  return { status: 'planned', message, cancelledReminders: cancelled.length };
}
