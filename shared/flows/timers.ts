/**
 * One claim, lease and completion for every flow's due work in `flow_timers`.
 *
 * A pass scans the one partial index (`flow_timers_due_idx`, due rows only, so its rows read grow
 * with due work, not the backlog) and claims with a conditional UPDATE ... RETURNING of the rows
 * still due, so overlapping passes never take the same timer. The claim pushes `due_at` out by a
 * lease instead of clearing it: a pass that dies comes due again after the lease. Completion is
 * conditional on that lease, so a timer re-armed meanwhile stays armed.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Merge } from '../db/coalesced-d1';
import { merged, tupleKey } from '../db/merged';
import { rowsMerge } from '../db/rows-merge';
import type { RawStatement } from '../db/prepared';
import { rawItem } from '../db/prepared-item';
import { flowTimers } from '../db/schema';
import type { Flow } from './names';
import type { Subscriber } from './registry';

export type TimerKey = { shopId: string; flow: Flow; orderId: string; step: string };
export type ClaimedTimer = TimerKey & { eventId: string | null; attempts: number; leaseUntil: number };

export const TIMER_LEASE_MS = 10 * 60_000;
/** The longest a failing timer waits before its next try. */
export const MAX_BACKOFF_MS = 10 * 60_000;

const keyOf = (k: TimerKey) =>
  and(
    eq(flowTimers.shopId, k.shopId),
    eq(flowTimers.flow, k.flow),
    eq(flowTimers.orderId, k.orderId),
    eq(flowTimers.step, k.step),
  );

/**
 * Arms the triggers of every flow subscribed to one event, in one statement (the intake's hot path:
 * Miniflare's D1 pays per statement, and most events have two subscribers). Each behaves as `arm`
 * with its subscription's mode: an `each` flow's timer moves to the earlier due time (or is armed
 * again if done), a `once` flow's existing timer is left alone. The timers are due at `now`. It
 * returns the flow and step of each trigger it armed (`armedOf`): only those flows are woken.
 */
export function armSubscribers(
  key: Omit<TimerKey, 'flow' | 'step'>,
  subscribers: readonly Subscriber[],
  now: Date,
  eventId: string,
): RawStatement {
  const flows = JSON.stringify(subscribers.map((s) => [s.flow, s.mode, s.step]));
  return { sql: ARM_SUBSCRIBERS, params: [key.shopId, key.orderId, now.getTime(), eventId, flows] };
}

const ARM_SUBSCRIBERS = `INSERT INTO flow_timers
    (shop_id, flow, order_id, step, due_at, event_id, attempts, created_at, updated_at)
  SELECT ?1, f.value ->> 0, ?2, f.value ->> 2, ?3, ?4, 0, ?3, ?3 FROM json_each(?5) AS f WHERE true
  ON CONFLICT (shop_id, flow, order_id, step) DO UPDATE SET
    due_at = CASE WHEN flow_timers.due_at IS NULL OR flow_timers.due_at > excluded.due_at
      THEN excluded.due_at ELSE flow_timers.due_at END,
    event_id = excluded.event_id,
    updated_at = excluded.updated_at
  WHERE excluded.flow IN (SELECT f.value ->> 0 FROM json_each(?5) AS f WHERE f.value ->> 1 = 'each')
  RETURNING flow, step`;

/** The triggers `armSubscribers` armed, from its result: a `once` trigger already there is not. */
export function armedOf(key: Omit<TimerKey, 'flow' | 'step'>, result: D1Result): TimerKey[] {
  return (result.results as { flow: Flow; step: string }[]).map(({ flow, step }) => ({ ...key, flow, step }));
}

export { arm, armWhileOrderIn, disarm, rearmPending, timerMerges } from './timer-writes';

/** `complete`'s statement; its parameters in order: now, shop, flow, order, step, lease. */
const COMPLETE = `UPDATE flow_timers SET due_at = NULL, attempts = 0, updated_at = ?
  WHERE shop_id = ? AND flow = ? AND order_id = ? AND step = ? AND due_at = ?`;

/**
 * Ends a claim: the work is done. A no-op if the timer was re-armed while it was held. The last
 * statement of a trigger's batch: on a queue batch's coalesced binding, the completions of the
 * triggers that finish together are one statement (`completionMerge`).
 */
export function complete(db: Db, timer: TimerKey & { leaseUntil: number }, now: Date) {
  const { shopId, flow, orderId, step, leaseUntil } = timer;
  return rawItem(db, COMPLETE, [now.getTime(), shopId, flow, orderId, step, leaseUntil]);
}

/** Many triggers' completions as one statement, each still conditional on its own lease (../db/coalesced-d1.ts). */
export const completionMerge: Merge = rowsMerge({
  sql: COMPLETE,
  many: `UPDATE flow_timers SET due_at = NULL, attempts = 0, updated_at = k.value ->> 0
    FROM json_each(?1) AS k
    WHERE flow_timers.shop_id = k.value ->> 1 AND flow_timers.flow = k.value ->> 2
      AND flow_timers.order_id = k.value ->> 3 AND flow_timers.step = k.value ->> 4
      AND flow_timers.due_at = k.value ->> 5
    RETURNING shop_id, flow, order_id, step`,
  key: ([, shop, flow, order, step]) => tupleKey(String(shop), String(flow), String(order), String(step)),
  returned: (r) => tupleKey(String(r.shop_id), String(r.flow), String(r.order_id), String(r.step)),
});

/**
 * `complete` for many claimed timers in one raw statement (a pass completes a whole batch together
 * with its writes): the keys travel as one JSON parameter, each still conditional on its lease.
 */
export function completeMany(d1: D1Database, timers: ClaimedTimer[], now: Date): D1PreparedStatement {
  const keys = JSON.stringify(timers.map((t) => [t.shopId, t.flow, t.orderId, t.step, t.leaseUntil]));
  return d1
    .prepare(
      `UPDATE flow_timers SET due_at = NULL, attempts = 0, updated_at = ?2
       WHERE rowid IN (SELECT t.rowid FROM json_each(?1) AS k JOIN flow_timers AS t
         ON t.shop_id = k.value ->> 0 AND t.flow = k.value ->> 1 AND t.order_id = k.value ->> 2
        AND t.step = k.value ->> 3 AND t.due_at = k.value ->> 4)`,
    )
    .bind(keys, now.getTime());
}

/** Gives a claim back after a failure, to come due again with an exponential backoff. */
export function retryLater(db: Db, timer: ClaimedTimer, now: Date) {
  const wait = Math.min(MAX_BACKOFF_MS, 30_000 * 2 ** timer.attempts);
  return db
    .update(flowTimers)
    .set({ dueAt: new Date(now.getTime() + wait), attempts: timer.attempts + 1, updatedAt: now })
    .where(and(keyOf(timer), eq(flowTimers.dueAt, new Date(timer.leaseUntil))));
}

/**
 * Claims one timer for a queue job: when it is due, or armed to run at once and untouched since
 * (`due_at = updated_at`: a claim's lease and a retry's backoff both set `due_at` past the time of
 * the write, so neither is taken early). Undefined when it is done, not armed or held by someone.
 * The jobs of one queue batch claim theirs in one statement (../db/merged.ts).
 */
export const claimOne = (db: Db, key: TimerKey, now: Date): Promise<ClaimedTimer | undefined> =>
  claimMerged(db, { ...key, now: now.getTime() });

type ClaimKey = TimerKey & { now: number };
type ClaimedRow = {
  shop_id: string;
  flow: Flow;
  order_id: string;
  step: string;
  event_id: string | null;
  attempts: number;
};

const CLAIM_MANY = `UPDATE flow_timers SET due_at = ?2, updated_at = ?3
  FROM json_each(?1) AS k
  WHERE flow_timers.shop_id = k.value ->> 0 AND flow_timers.flow = k.value ->> 1
    AND flow_timers.order_id = k.value ->> 2 AND flow_timers.step = k.value ->> 3
    AND (flow_timers.due_at <= ?3 OR flow_timers.due_at = flow_timers.updated_at)
  RETURNING shop_id, flow, order_id, step, event_id, attempts`;

/** Claims made at one instant share a statement; a key named twice is claimed once, by its first asker. */
const claimMerged = merged<ClaimKey, ClaimedTimer | undefined>({
  name: 'claim',
  part: (k) => String(k.now),
  one: async (db, { now, ...key }) => {
    const leaseUntil = now + TIMER_LEASE_MS;
    const [row] = await db
      .update(flowTimers)
      .set({ dueAt: new Date(leaseUntil), updatedAt: new Date(now) })
      .where(and(keyOf(key), sql`(${flowTimers.dueAt} <= ${now} OR ${flowTimers.dueAt} = ${flowTimers.updatedAt})`))
      .returning({ eventId: flowTimers.eventId, attempts: flowTimers.attempts });
    return row ? { ...key, ...row, leaseUntil } : undefined;
  },
  many: async (db, keys) => {
    const now = keys[0]!.now;
    const leaseUntil = now + TIMER_LEASE_MS;
    const { results } = await db.$client
      .prepare(CLAIM_MANY)
      .bind(JSON.stringify(keys.map((k) => [k.shopId, k.flow, k.orderId, k.step])), leaseUntil, now)
      .all<ClaimedRow>();
    const claimed = new Map(results.map((r) => [tupleKey(r.shop_id, r.flow, r.order_id, r.step), r]));
    return keys.map(({ now: _, ...key }) => {
      const id = tupleKey(key.shopId, key.flow, key.orderId, key.step);
      const row = claimed.get(id);
      if (!row) return undefined;
      claimed.delete(id);
      return { ...key, eventId: row.event_id, attempts: row.attempts, leaseUntil };
    });
  },
});

export type ClaimQuery = {
  flow: Flow;
  /**
   * Timer steps to take; or every step starting with a prefix (`on:` for the event triggers); or
   * every step but those (a flow's own timers, in one scan).
   */
  steps: readonly string[] | { prefix: string } | { notPrefix: string };
  /** Take timers due at or before this time. */
  dueBy: Date;
  now: Date;
  limit: number;
  shopId?: string;
};

/** The smallest string after every string that starts with `prefix` (`on:` -> `on;`). */
const nextPrefix = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

type Row = { shop_id: string; flow: Flow; order_id: string; step: string; event_id: string | null; attempts: number };

/**
 * Reads a pass runs in the claim's own D1 batch, right after the claiming UPDATE, so a batch's claim and
 * what it needs to plan take one round trip. `claimed` is a SELECT of the timers this claim took
 * (`shop_id, flow, order_id, step`), to use as a subquery; its parameters are ?1 and ?2, so bind
 * `params` first and number a read's own parameters from ?3. It may also name timers another pass
 * claimed in the same millisecond: match what it reads to the claim's `timers`.
 */
export type ClaimReads = (claimed: string, params: [rowids: string, leaseUntil: number]) => D1PreparedStatement[];

const CLAIMED = `SELECT shop_id, flow, order_id, step FROM flow_timers
  WHERE rowid IN (SELECT value FROM json_each(?1)) AND due_at = ?2`;

/**
 * Scans and claims a batch of due timers, oldest first. `rowsRead` is the scan's D1 rows read. With
 * `reads`, their results follow in `reads` (none when nothing was due).
 */
export async function claimDue(
  d1: D1Database,
  q: ClaimQuery,
  reads?: ClaimReads,
): Promise<{ timers: ClaimedTimer[]; rowsRead: number; reads: D1Result[] }> {
  const params: unknown[] = [q.flow, q.dueBy.getTime(), q.limit];
  const bind = (value: unknown) => `?${params.push(value)}`;
  const range = (prefix: string) => `step >= ${bind(prefix)} AND step < ${bind(nextPrefix(prefix))}`;
  const stepFilter =
    'prefix' in q.steps
      ? range(q.steps.prefix)
      : 'notPrefix' in q.steps
        ? `NOT (${range(q.steps.notPrefix)})`
        : `step IN (${q.steps.map(bind).join(', ')})`;
  const shopFilter = q.shopId ? `AND shop_id = ${bind(q.shopId)}` : '';
  // INDEXED BY pins the partial index: with a shop filter the planner would otherwise walk the
  // primary key and read the shop's whole backlog.
  const scan = await d1
    .prepare(
      `SELECT rowid AS r FROM flow_timers INDEXED BY flow_timers_due_idx
       WHERE flow = ?1 AND due_at <= ?2 AND ${stepFilter} ${shopFilter}
       ORDER BY due_at LIMIT ?3`,
    )
    .bind(...params)
    .all<{ r: number }>();
  const rowsRead = scan.meta.rows_read ?? 0;
  if (scan.results.length === 0) return { timers: [], rowsRead, reads: [] };
  const leaseUntil = q.now.getTime() + TIMER_LEASE_MS;
  const rowids = JSON.stringify(scan.results.map((row) => row.r));
  // Only rows still due are taken, so a pass running alongside gets each timer at most once.
  const claim = d1
    .prepare(
      `UPDATE flow_timers SET due_at = ?3, updated_at = ?4
       WHERE rowid IN (SELECT value FROM json_each(?1)) AND due_at <= ?2
       RETURNING shop_id, flow, order_id, step, event_id, attempts`,
    )
    .bind(rowids, q.dueBy.getTime(), leaseUntil, q.now.getTime());
  const [claimed, ...read] = reads
    ? await d1.batch([claim, ...reads(CLAIMED, [rowids, leaseUntil])])
    : [await claim.all<Row>()];
  return {
    rowsRead,
    reads: read,
    timers: (claimed!.results as Row[]).map((r) => ({
      shopId: r.shop_id,
      flow: r.flow,
      orderId: r.order_id,
      step: r.step,
      eventId: r.event_id,
      attempts: r.attempts,
      leaseUntil,
    })),
  };
}
