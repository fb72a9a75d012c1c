/**
 * The flow's event trigger, armed by every delivery update, completion, refund, case and review of
 * the order: it stores nothing itself (the intake recorded the facts) but moves the order's
 * `request` timer to delivery or completion plus the delay, brings a held request or reminder back
 * when its hold may have ended (the pass checks again), and on a review cancels the pending
 * reminder and plans the review care.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { dbFor, runBatch } from '../../shared/db/client';
import { flowTimers } from '../../shared/db/schema';
import { planMessage, type DispatchJob } from '../../shared/delivery/plan';
import type { TriggerHandler } from '../../shared/flows/triggers';
import { rearmPending } from '../../shared/flows/timers';
import { reviewCare, type ReviewEnv } from './alerts';
import { buyerData, loadContext, reminderGapMs, requestDue, type ReviewContext } from './context';

const FLOW = 'review-requests' as const;

const timerKey = (ctx: ReviewContext, step: string) => ({
  shopId: ctx.shop.id,
  flow: FLOW,
  orderId: ctx.order.id,
  step,
});

/** Sets the order's pending timer of `step` to `dueAt`; a timer done or never armed stays so. */
function movePending(db: ReturnType<typeof dbFor>, ctx: ReviewContext, step: string, dueAt: Date, now: Date) {
  return db
    .update(flowTimers)
    .set({ dueAt, updatedAt: now })
    .where(
      and(
        eq(flowTimers.shopId, ctx.shop.id),
        eq(flowTimers.flow, FLOW),
        eq(flowTimers.orderId, ctx.order.id),
        eq(flowTimers.step, step),
        isNotNull(flowTimers.dueAt),
      ),
    );
}

export function reviewHandler(queue: Queue<DispatchJob> | undefined): TriggerHandler<ReviewEnv> {
  return async (env, { now, timer, done }) => {
    const db = dbFor(env, timer.shopId);
    const ctx = await loadContext(db, timer.shopId, timer.orderId);
    if (!ctx) {
      await runBatch(db, [done]);
      return { status: 'no_order' };
    }
    let status = 'unchanged';
    const items: BatchItem<'sqlite'>[] = [];
    if (ctx.review && timer.step === 'on:review.created') {
      status = await reviewCare(env, db, queue, ctx, now);
      // The review cancels a pending reminder, and says why on the timeline.
      const cancelled = await db
        .update(flowTimers)
        .set({ dueAt: null, updatedAt: now })
        .where(
          and(
            eq(flowTimers.shopId, ctx.shop.id),
            eq(flowTimers.flow, FLOW),
            eq(flowTimers.orderId, ctx.order.id),
            eq(flowTimers.step, 'reminder'),
            isNotNull(flowTimers.dueAt),
          ),
        )
        .returning({ step: flowTimers.step });
      if (cancelled.length) {
        const req = { shop: ctx.shop, orderId: ctx.order.id, customer: ctx.customer, locale: ctx.locale };
        const skipped = { ...req, kind: 'review_reminder' as const, data: buyerData(ctx), audience: ctx.audience };
        await planMessage(db, queue, { ...skipped, skipReason: 'reviewed', publicUrl: env.PUBLIC_URL }, now);
      }
    }
    if (ctx.anchor && !ctx.review) {
      // Due at delivery or completion plus the delay; a request held until its window's end comes
      // back to that time here (the pass holds it again if the problem is still open).
      items.push(rearmPending(db, timerKey(ctx, 'request'), requestDue(ctx), now));
      if (ctx.request) {
        const sentAt = ctx.request.sentAt ?? ctx.request.dueAt ?? ctx.request.createdAt;
        items.push(movePending(db, ctx, 'reminder', new Date(sentAt.getTime() + reminderGapMs(ctx)), now));
      }
      if (status === 'unchanged') status = 'scheduled';
    }
    await runBatch(db, [...items, done]);
    return { status };
  };
}
