/**
 * The safety net behind the queue: every minute, orders whose thank-you was
 * armed more than a minute ago and is still not planned (a lost queue send, a
 * job that ran out of retries) are planned here. The scan reads only armed
 * rows, through the partial index `orders_thank_you_due_idx`, oldest first and
 * at most SWEEP_BATCH per pass, so its cost follows due work, not the backlog.
 */
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { db as drizzleDb } from '../../shared/db/client';
import { orders } from '../../shared/db/schema';
import type { DispatchJob } from '../../shared/delivery/plan';
import { planThankYou, type ThankYouEnv, type ThankYouOutcome } from './plan';

/** The queue normally plans within seconds; the sweep only takes what it has left for this long. */
export const SWEEP_GRACE_MS = 60_000;
export const SWEEP_BATCH = 100;
/** An order that failed to plan waits this long before the next try, so it cannot block the head of the scan. */
export const SWEEP_BACKOFF_MS = 10 * 60_000;

const orderKey = (job: { shopId: string; orderId: string }) =>
  and(eq(orders.shopId, job.shopId), eq(orders.id, job.orderId));

export type SweepResult = { due: number; outcomes: Record<string, number>; failed: number };

/** The armed orders due by `now`, oldest first; the WHERE matches the partial index's predicate. */
export function dueOrdersQuery(env: ThankYouEnv, now: Date, limit = SWEEP_BATCH) {
  return drizzleDb(env.DB)
    .select({ shopId: orders.shopId, orderId: orders.id })
    .from(orders)
    .where(and(isNotNull(orders.thankYouDueAt), lte(orders.thankYouDueAt, new Date(now.getTime() - SWEEP_GRACE_MS))))
    .orderBy(asc(orders.thankYouDueAt))
    .limit(limit);
}

export async function sweepDue(
  env: ThankYouEnv,
  now: Date,
  queue: Queue<DispatchJob> | undefined = env.DISPATCH as Queue<DispatchJob>,
): Promise<SweepResult> {
  const due = await dueOrdersQuery(env, now);
  const result: SweepResult = { due: due.length, outcomes: {}, failed: 0 };
  for (const job of due) {
    let outcome: ThankYouOutcome;
    try {
      outcome = await planThankYou(env, job, now, queue);
    } catch (error) {
      result.failed++;
      console.error(JSON.stringify({ level: 'error', msg: 'thank-you sweep failed', ...job, error: String(error) }));
      await drizzleDb(env.DB)
        .update(orders)
        .set({ thankYouDueAt: new Date(now.getTime() + SWEEP_BACKOFF_MS) })
        .where(and(isNotNull(orders.thankYouDueAt), orderKey(job)));
      continue;
    }
    result.outcomes[outcome.status] = (result.outcomes[outcome.status] ?? 0) + 1;
  }
  return result;
}
