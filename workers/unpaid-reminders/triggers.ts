/**
 * The unpaid-reminders flow's event triggers. `order.created` arms the reminder
 * and pre-close timers from the shop's cutoff calendar; any later state (paid,
 * cancelled, shipped, completed, refunded) stops them: the timers are disarmed
 * and the reminders not yet claimed are cancelled, in one batch. This is the one
 * place that decides "payment stops reminders"; the dispatcher's send-time check
 * stays as the last line of defence for a reminder already claimed.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { dbFor, runBatch, type Db } from '../../shared/db/client';
import type { MessageReason } from '../../shared/db/schema';
import { cancelPending } from '../../shared/delivery/outbox';
import { orderAndShop } from '../../shared/orders/load';
import type { TriggerHandler } from '../../shared/flows/triggers';
import { armWhileOrderIn, disarm, type TimerKey } from '../../shared/flows/timers';
import { reminderTimers } from './pass';
import { reminderDueTimes, reminderShop } from './reminder-due';

const FLOW = 'unpaid-reminders';
const STEPS = Object.keys(reminderTimers);
const KINDS = Object.values(reminderTimers);

/**
 * Arms a reminder timer only while the order is still unpaid, in the same statement, so a payment
 * that lands between reading the order and arming can never leave a reminder armed.
 */
const armWhileUnpaid = (db: Db, key: TimerKey, dueAt: Date, now: Date) =>
  armWhileOrderIn(db, key, dueAt, now, 'created');

/** Why pending reminders stop, from the state the order moved to. */
const stopReason = (state: string): MessageReason => (state === 'cancelled' ? 'cancelled' : 'paid');

export const handleTrigger: TriggerHandler<{ DB: D1Database }> = async (env, { now, timer, done }) => {
  const db = dbFor(env, timer.shopId);
  const [order, shop] = await orderAndShop(db, timer.shopId, timer.orderId);
  if (!order || !shop) {
    await db.batch([done]);
    return { status: 'no_order' };
  }
  const key = { shopId: shop.id, flow: FLOW, orderId: order.id } as const;
  if (order.state !== 'created') {
    await runBatch(db, [
      disarm(db, key, STEPS, now),
      cancelPending(db, { shopId: shop.id, orderId: order.id }, KINDS, stopReason(order.state), now),
      done,
    ]);
    return { status: 'stopped' };
  }
  if (timer.step !== 'on:order.created') {
    await db.batch([done]);
    return { status: 'unchanged' };
  }
  const due = reminderDueTimes(order.placedAt ?? order.createdAt, order.autoCloseAt, reminderShop(shop));
  const statements: BatchItem<'sqlite'>[] = [];
  if (due.reminderDueAt) statements.push(armWhileUnpaid(db, { ...key, step: 'reminder' }, due.reminderDueAt, now));
  if (due.precloseDueAt) statements.push(armWhileUnpaid(db, { ...key, step: 'preclose' }, due.precloseDueAt, now));
  await runBatch(db, [...statements, done]);
  return { status: 'armed' };
};
