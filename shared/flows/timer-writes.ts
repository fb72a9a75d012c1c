/**
 * The flows' timer writes: arm, re-arm and disarm an order's timers. Each is one raw statement of
 * fixed text with a merged twin (`timerMerges`): on a queue batch's coalesced binding the triggers
 * that arm or disarm together do it in one statement (../db/coalesced-d1.ts), where Miniflare's D1
 * paid per statement (BENCHMARKS.md, peak). Each merged statement does row by row what its single
 * statements did one by one.
 */
import type { Db } from '../db/client';
import { tupleKey } from '../db/merged';
import { rawItem } from '../db/prepared-item';
import { rowsMerge } from '../db/rows-merge';
import type { TimerKey } from './timers';

const COLUMNS = '(shop_id, flow, order_id, step, due_at, event_id, attempts, created_at, updated_at)';
const TARGET = 'ON CONFLICT (shop_id, flow, order_id, step)';
/** What an arm does to an existing timer, by its `rearm` mode (see `arm`). */
const ON_CONFLICT = {
  once: 'ON CONFLICT DO NOTHING',
  earlier: `${TARGET} DO UPDATE SET
    due_at = CASE WHEN flow_timers.due_at IS NULL OR flow_timers.due_at > excluded.due_at
      THEN excluded.due_at ELSE flow_timers.due_at END,
    event_id = excluded.event_id, updated_at = excluded.updated_at`,
  exact: `${TARGET} DO UPDATE SET
    due_at = excluded.due_at, event_id = excluded.event_id, attempts = 0, updated_at = excluded.updated_at`,
  pending: `${TARGET} DO UPDATE SET due_at = excluded.due_at, updated_at = excluded.updated_at
    WHERE flow_timers.due_at IS NOT NULL`,
} as const;
type Mode = keyof typeof ON_CONFLICT;

// Parameters of an arm, in order: shop, flow, order, step, due (ms), event id, now (ms).
const armSql = (mode: Mode) =>
  `INSERT INTO flow_timers ${COLUMNS} VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7) ${ON_CONFLICT[mode]}`;
const armManySql = (mode: Mode) => `INSERT INTO flow_timers ${COLUMNS}
  SELECT k.value ->> 0, k.value ->> 1, k.value ->> 2, k.value ->> 3, k.value ->> 4, k.value ->> 5, 0,
    k.value ->> 6, k.value ->> 6
  FROM json_each(?1) AS k WHERE true ${ON_CONFLICT[mode]} RETURNING shop_id, flow, order_id, step`;

const timerKey = (p: unknown[]) => tupleKey(String(p[0]), String(p[1]), String(p[2]), String(p[3]));
const returnedTimer = (r: Record<string, unknown>) =>
  tupleKey(String(r.shop_id), String(r.flow), String(r.order_id), String(r.step));

function armItem(db: Db, mode: Mode, key: TimerKey, dueAt: Date, now: Date, eventId: string | null) {
  return rawItem(db, armSql(mode), [
    key.shopId,
    key.flow,
    key.orderId,
    key.step,
    dueAt.getTime(),
    eventId,
    now.getTime(),
  ]);
}

/**
 * Arms a timer. `rearm: false` leaves an existing row alone (armed once, e.g. by the first event of
 * a type); `rearm: true` moves it to the earlier of the two due times, or arms it again if done;
 * `rearm: 'exact'` sets it to `dueAt` whatever it was (a check pushed out by new movement).
 */
export function arm(
  db: Db,
  key: TimerKey,
  dueAt: Date,
  now: Date,
  opts: { rearm: boolean | 'exact'; eventId?: string },
) {
  const mode = opts.rearm === 'exact' ? 'exact' : opts.rearm ? 'earlier' : 'once';
  return armItem(db, mode, key, dueAt, now, opts.eventId ?? null);
}

/** Sets an armed (or new) timer to `dueAt`; a timer already done stays done. */
export function rearmPending(db: Db, key: TimerKey, dueAt: Date, now: Date) {
  return armItem(db, 'pending', key, dueAt, now, null);
}

// Parameters: shop, flow, order, step, due (ms), now (ms), the order state.
const ARM_WHILE = `INSERT INTO flow_timers ${COLUMNS}
  SELECT ?1, ?2, ?3, ?4, ?5, NULL, 0, ?6, ?6 FROM orders
  WHERE orders.shop_id = ?1 AND orders.id = ?3 AND orders.state = ?7 ON CONFLICT DO NOTHING`;
const ARM_WHILE_MANY = `INSERT INTO flow_timers ${COLUMNS}
  SELECT k.value ->> 0, k.value ->> 1, k.value ->> 2, k.value ->> 3, k.value ->> 4, NULL, 0,
    k.value ->> 5, k.value ->> 5
  FROM json_each(?1) AS k JOIN orders AS o ON o.shop_id = k.value ->> 0 AND o.id = k.value ->> 2
  WHERE o.state = k.value ->> 6 ON CONFLICT DO NOTHING RETURNING shop_id, flow, order_id, step`;

/**
 * Arms a timer (once) only while its order is in `state`, in the same statement: an event that moves
 * the order on between reading it and arming can never leave the timer armed.
 */
export function armWhileOrderIn(db: Db, key: TimerKey, dueAt: Date, now: Date, state: string) {
  return rawItem(db, ARM_WHILE, [key.shopId, key.flow, key.orderId, key.step, dueAt.getTime(), now.getTime(), state]);
}

// Parameters: now (ms), shop, flow, order, the steps as a JSON array. `+due_at` keeps the planner
// on the primary key: through the due index it would read every armed timer of the flow.
const DISARM = `UPDATE flow_timers SET due_at = NULL, updated_at = ?1
  WHERE shop_id = ?2 AND flow = ?3 AND order_id = ?4 AND step IN (SELECT value FROM json_each(?5))
    AND +due_at IS NOT NULL`;
const DISARM_MANY = `UPDATE flow_timers SET due_at = NULL, updated_at = k.value ->> 0
  FROM json_each(?1) AS k
  WHERE flow_timers.shop_id = k.value ->> 1 AND flow_timers.flow = k.value ->> 2
    AND flow_timers.order_id = k.value ->> 3
    AND flow_timers.step IN (SELECT value FROM json_each(k.value ->> 4)) AND +flow_timers.due_at IS NOT NULL
  RETURNING shop_id, flow, order_id`;

/** Disarms the order's timers of `steps` (done without running). */
export function disarm(db: Db, key: Omit<TimerKey, 'step'>, steps: readonly string[], now: Date) {
  return rawItem(db, DISARM, [now.getTime(), key.shopId, key.flow, key.orderId, JSON.stringify(steps)]);
}

/** The merged twins of the statements above, for a flow's coalesced binding. */
export const timerMerges = [
  ...(Object.keys(ON_CONFLICT) as Mode[]).map((mode) =>
    rowsMerge({
      sql: armSql(mode),
      many: armManySql(mode),
      key: timerKey,
      returned: returnedTimer,
      firstWins: mode === 'once',
    }),
  ),
  rowsMerge({ sql: ARM_WHILE, many: ARM_WHILE_MANY, key: timerKey, returned: returnedTimer, firstWins: true }),
  rowsMerge({
    sql: DISARM,
    many: DISARM_MANY,
    key: (p) => tupleKey(String(p[1]), String(p[2]), String(p[3])),
    returned: (r) => tupleKey(String(r.shop_id), String(r.flow), String(r.order_id)),
  }),
];
