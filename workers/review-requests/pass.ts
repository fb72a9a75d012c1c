/**
 * The flow's cron pass over its own timers: `request` and `reminder` per order, `alerts` per shop.
 * A request or reminder is skipped as `reviewed` once the buyer reviewed and as `expired` after the
 * window; while a problem is open it is held (recorded on the timeline) until the window's end, and
 * an event that may end the hold brings it back; in quiet hours it waits for the morning. Only due
 * timers are read, through the one timer index.
 */
import { flowBinding } from '../../shared/flows/merges';
import { inLanes, orderLane } from '../../shared/flows/lanes';
import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { dbFor, runBatch, shards, type Db } from '../../shared/db/client';
import { flowTimers, reviewHolds, type MessageReason } from '../../shared/db/schema';
import { newId } from '../../shared/crypto/random';
import { planMessage, type DispatchJob, type PlanRequest } from '../../shared/delivery/plan';
import type { RunCounts } from '../../shared/flows/runner';
import { arm, claimDue, complete, type ClaimedTimer } from '../../shared/flows/timers';
import { coalescedQueue } from '../../shared/queues/coalesced-queue';
import { quietUntil } from '../../shared/time/zoned';
import { groupedAlert, type ReviewEnv } from './alerts';
import { buyerData, expiresAt, lastHold, loadContext, reminderGapMs, type ReviewContext } from './context';

const FLOW = 'review-requests';
const BATCH = 200;
const MAX_BATCHES = 10;
/** Orders worked at once in a batch (shared/flows/lanes.ts). */
const LANES = 20;
const HOUR = 3_600_000;

type Plan = (req: PlanRequest) => Promise<{ status: string } | void>;

/** Moves a claimed timer to `dueAt` (a hold, the morning), unless it was re-armed while held. */
function park(db: Db, timer: ClaimedTimer, dueAt: Date, now: Date) {
  return db
    .update(flowTimers)
    .set({ dueAt, updatedAt: now })
    .where(
      and(
        eq(flowTimers.shopId, timer.shopId),
        eq(flowTimers.flow, timer.flow),
        eq(flowTimers.orderId, timer.orderId),
        eq(flowTimers.step, timer.step),
        eq(flowTimers.dueAt, new Date(timer.leaseUntil)),
      ),
    );
}

async function requestOrReminder(env: ReviewEnv, ctx: ReviewContext, timer: ClaimedTimer, now: Date, plan: Plan) {
  const db = dbFor(env, timer.shopId);
  const step = timer.step as 'request' | 'reminder';
  const kind = step === 'request' ? 'review_request' : 'review_reminder';
  const req: PlanRequest = {
    shop: ctx.shop,
    orderId: ctx.order.id,
    customer: ctx.customer,
    kind,
    locale: ctx.locale,
    data: buyerData(ctx),
    audience: ctx.audience,
    publicUrl: env.PUBLIC_URL,
  };
  const skip = async (reason: MessageReason) => {
    await plan({ ...req, skipReason: reason });
    return runBatch(db, [complete(db, timer, now)]);
  };
  if (!ctx.anchor) return runBatch(db, [complete(db, timer, now)]);
  if (ctx.review) return skip('reviewed');
  const expiry = expiresAt(ctx);
  if (now.getTime() >= expiry.getTime()) return skip('expired');
  if (step === 'reminder') {
    const request = ctx.request;
    // Not sent yet (waiting for its send time): the reminder waits with it.
    if (request && ['planned', 'queued', 'sending'].includes(request.status)) {
      return runBatch(db, [park(db, timer, new Date(now.getTime() + HOUR), now)]);
    }
    if (!request || !['sent', 'delivered'].includes(request.status)) return skip(request?.reason ?? 'superseded');
  }
  const last = await lastHold(db, ctx, step);
  const held = last?.action === 'held' ? last.reason : null;
  const entry = (action: 'held' | 'released', reason: NonNullable<ReviewContext['hold']>) =>
    db.insert(reviewHolds).values({
      id: newId('hld'),
      shopId: ctx.shop.id,
      orderId: ctx.order.id,
      step,
      action,
      reason,
      createdAt: now,
    });
  if (ctx.hold) {
    // Held, not dropped: it waits until the window's end; the event that ends the hold brings it back.
    const items: BatchItem<'sqlite'>[] = [park(db, timer, expiry, now)];
    if (held !== ctx.hold) items.unshift(entry('held', ctx.hold));
    return runBatch(db, items);
  }
  if (held) await runBatch(db, [entry('released', held)]);
  const morning = quietUntil(now, ctx.shop.timezone, ctx.shop.quietHours);
  // Planned only in the buyer's daytime, so every check above is as fresh as the send.
  if (morning) return runBatch(db, [park(db, timer, morning, now)]);
  // Its send-by deadline is the window's end: deferred or retried past it, it is skipped `expired`.
  const result = await plan({ ...req, sendBy: expiry });
  const items: BatchItem<'sqlite'>[] = [complete(db, timer, now)];
  if (step === 'request' && ctx.settings.reminder && result?.status === 'queued') {
    const key = { shopId: ctx.shop.id, flow: FLOW, orderId: ctx.order.id, step: 'reminder' } as const;
    items.push(arm(db, key, new Date(now.getTime() + reminderGapMs(ctx)), now, { rearm: false }));
  }
  return runBatch(db, items);
}

async function runTimer(
  env: ReviewEnv,
  timer: ClaimedTimer,
  now: Date,
  plan: Plan,
  counts: RunCounts,
  queue: Queue<DispatchJob>,
) {
  const db = dbFor(env, timer.shopId);
  if (timer.step === 'alerts') {
    const grouped = await groupedAlert(env, db, queue, timer.shopId, now);
    counts.planned += grouped.planned;
    const key = { shopId: timer.shopId, flow: FLOW, orderId: '', step: 'alerts' } as const;
    // More waited than one message lists: the rest go in the next one, at once.
    await runBatch(db, [complete(db, timer, now), ...(grouped.more ? [arm(db, key, now, now, { rearm: true })] : [])]);
    return;
  }
  const ctx = await loadContext(db, timer.shopId, timer.orderId);
  if (ctx && (timer.step === 'request' || timer.step === 'reminder')) {
    await requestOrReminder(env, ctx, timer, now, plan);
    return;
  }
  await runBatch(db, [complete(db, timer, now)]);
}

export async function runPass(liveEnv: ReviewEnv, now: Date, shopId?: string): Promise<RunCounts> {
  // Timers of different orders at once, their queries sharing D1 round trips.
  const env = { ...liveEnv, DB: flowBinding(liveEnv.DB) };
  const counts: RunCounts = { claimed: 0, planned: 0, skipped: {}, rows_read: 0, more: false };
  // A pass's messages go on the scheduled lane, a trigger's notice never waiting behind them
  // (workers/dispatcher/lanes.ts); those planned in one turn leave in one call.
  const queue = coalescedQueue(env.DISPATCH_SCHEDULED as Queue<DispatchJob>);
  const plan: Plan = async (req) => {
    const result = await planMessage(dbFor(env, req.shop.id), queue, req, now);
    if (result.duplicate) return result;
    if (result.status === 'queued') counts.planned++;
    else counts.skipped[result.reason!] = (counts.skipped[result.reason!] ?? 0) + 1;
    return result;
  };
  for (const d1 of shards(env)) {
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const steps = { notPrefix: 'on:' };
      const claimed = await claimDue(d1, { flow: FLOW, steps, dueBy: now, now, limit: BATCH, shopId });
      counts.claimed += claimed.timers.length;
      counts.rows_read += claimed.rowsRead;
      await inLanes(claimed.timers, orderLane, LANES, (timer) => runTimer(env, timer, now, plan, counts, queue));
      if (claimed.timers.length < BATCH) break;
      if (batch === MAX_BATCHES - 1) counts.more = true;
    }
  }
  return counts;
}
