/**
 * Running a flow's event triggers: from its queue (one job per trigger, right after the intake
 * answered) and from its sweep, which takes triggers the queue left behind. Both claim the timer
 * first, so the two paths and any redelivery run a trigger at most once per arming. The handler
 * writes its changes and `done` (the timer's completion) in one D1 batch; if it throws, the timer
 * comes due again with a backoff.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { dbFor, shards } from '../db/client';
import type { Flow } from './names';
import { claimDue, claimOne, complete, retryLater, type ClaimedTimer, type TimerKey } from './timers';

export type TriggerContext = { now: Date; timer: ClaimedTimer; done: BatchItem<'sqlite'> };
/** An outcome for logs and counts; `status` is short (`planned`, `armed`, `stale_event`, ...). */
export type Outcome = { status: string };
export type TriggerHandler<E, O extends Outcome = Outcome> = (env: E, ctx: TriggerContext) => Promise<O>;
type FlowEnv = { DB: D1Database };

/** The queue normally runs a trigger within seconds; the sweep takes only what it left this long. */
export const SWEEP_GRACE_MS = 60_000;
export const SWEEP_BATCH = 100;

async function runClaimed<E extends FlowEnv, O extends Outcome>(
  env: E,
  timer: ClaimedTimer,
  handler: TriggerHandler<E, O>,
  now: Date,
): Promise<O> {
  const db = dbFor(env, timer.shopId);
  try {
    return await handler(env, { now, timer, done: complete(db, timer, now) });
  } catch (error) {
    await retryLater(db, timer, now);
    throw error;
  }
}

/** One trigger, named by a queue job. `not_armed` when it was already run (or never armed). */
export async function runTrigger<E extends FlowEnv, O extends Outcome>(
  env: E,
  key: TimerKey,
  handler: TriggerHandler<E, O>,
  now = new Date(),
): Promise<O | { status: 'not_armed' }> {
  const timer = await claimOne(dbFor(env, key.shopId), key, now);
  if (!timer) return { status: 'not_armed' };
  return runClaimed(env, timer, handler, now);
}

export type SweepResult = { due: number; outcomes: Record<string, number>; failed: number; rows_read: number };

/** Runs the flow's triggers due for longer than `graceMs` (0 for a manual run), oldest first. */
export async function sweepTriggers<E extends FlowEnv, O extends Outcome>(
  env: E,
  flow: Flow,
  handler: TriggerHandler<E, O>,
  now: Date,
  opts: { graceMs?: number; limit?: number; shopId?: string } = {},
): Promise<SweepResult> {
  const result: SweepResult = { due: 0, outcomes: {}, failed: 0, rows_read: 0 };
  for (const d1 of shards(env)) {
    const { timers, rowsRead } = await claimDue(d1, {
      flow,
      steps: 'triggers',
      dueBy: new Date(now.getTime() - (opts.graceMs ?? SWEEP_GRACE_MS)),
      now,
      limit: opts.limit ?? SWEEP_BATCH,
      shopId: opts.shopId,
    });
    result.due += timers.length;
    result.rows_read += rowsRead;
    for (const timer of timers) {
      try {
        const { status } = await runClaimed(env, timer, handler, now);
        result.outcomes[status] = (result.outcomes[status] ?? 0) + 1;
      } catch (error) {
        result.failed++;
        const { shopId, orderId, step } = timer;
        console.error(
          JSON.stringify({
            level: 'error',
            msg: `${flow} trigger failed`,
            shopId,
            orderId,
            step,
            error: String(error),
          }),
        );
      }
    }
  }
  return result;
}
