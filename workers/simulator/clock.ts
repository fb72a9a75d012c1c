/**
 * The virtual clock: replays a run's events at their own timestamps and, between them, jumps
 * straight to the next minute a cron would find work due (a flow timer, or a message whose due
 * time the dispatcher's scan picks up a minute later). At an event it runs what the intake and the
 * flow queues run; at a tick what every flow's cron and the dispatcher's due scan run; after each,
 * the dispatch jobs sent meanwhile, as the dispatcher's queue consumer would.
 */
import { recordEvent } from '../gateway/webhooks/intake';
import { flowNames } from '../../shared/flows/names';
import type { SimEvent } from '../../shared/simulation/input';
import { dispatcher, simulatedFlows, type RecordingQueue, type SimEnv } from './flows';

const MINUTE = 60_000;
/** The dispatcher's due scan takes rows due this long (workers/dispatcher/due-scan.ts). */
const DUE_SCAN_GRACE_MS = 60_000;

const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE) * MINUTE;

/** What the report needs beyond the rows: messages that were deferred at least once. */
export type Recording = { deferred: Set<string>; events: number; ticks: number };

/** The earliest flow timer and the earliest waiting message of the private shop, through the due indexes. */
async function nextDue(d1: D1Database, shopId: string): Promise<number> {
  const timers = flowNames.map((flow) =>
    d1
      .prepare(
        `SELECT due_at AS t FROM flow_timers INDEXED BY flow_timers_due_idx
         WHERE flow = ?1 AND due_at IS NOT NULL AND shop_id = ?2 ORDER BY due_at LIMIT 1`,
      )
      .bind(flow, shopId),
  );
  const message = d1
    .prepare(
      `SELECT due_at + ${DUE_SCAN_GRACE_MS} AS t FROM messages INDEXED BY messages_due_idx
       WHERE status IN ('planned', 'queued') AND shop_id = ?1 ORDER BY due_at LIMIT 1`,
    )
    .bind(shopId);
  const rows = await d1.batch<{ t: number }>([...timers, message]);
  const times = rows.flatMap((r) => r.results.map((row) => row.t));
  return times.length ? ceilMinute(Math.min(...times)) : Infinity;
}

export async function replay(
  env: SimEnv,
  shopId: string,
  events: SimEvent[],
  until: Date,
  onProgress: (at: Date) => Promise<void>,
): Promise<Recording> {
  const queue = env.DISPATCH as unknown as RecordingQueue;
  const recording: Recording = { deferred: new Set(), events: 0, ticks: 0 };
  const drain = async (now: Date) => {
    for (let job = queue.jobs.shift(); job; job = queue.jobs.shift()) {
      const outcome = await dispatcher.job(env, job, now);
      if (outcome.reason === 'quiet_hours_deferred') recording.deferred.add(job.messageId);
      // A tick can dispatch thousands: each job counts as a step, so progress (and the turn it
      // yields to other requests) keeps coming.
      await onProgress(now);
    }
  };
  let next = 0;
  let lastTick = -Infinity;
  for (;;) {
    const eventAt = next < events.length ? Date.parse(events[next]!.body.timestamp) : Infinity;
    const due = await nextDue(env.DB, shopId);
    // A tick always moves on: what is due but not taken at one tick (a trigger in its sweep grace) waits for the next.
    const tickAt = Number.isFinite(due) ? Math.max(due, lastTick + MINUTE) : Infinity;
    const at = Math.min(eventAt, tickAt);
    if (!Number.isFinite(at) || at > until.getTime()) break;
    const now = new Date(at);
    if (eventAt <= tickAt) {
      const event = events[next++]!;
      const result = await recordEvent(env, shopId, event.webhookId, event.body, event.source, now);
      if (result.status === 'accepted') {
        for (const key of result.triggers) await simulatedFlows[key.flow].trigger(env, key, now);
      }
      recording.events++;
    } else {
      for (const flow of flowNames) {
        await simulatedFlows[flow].tick(env, now, shopId);
        await drain(now);
      }
      await dispatcher.dueScan(env, now, shopId);
      lastTick = at;
      recording.ticks++;
    }
    await drain(now);
    await onProgress(now);
  }
  return recording;
}
