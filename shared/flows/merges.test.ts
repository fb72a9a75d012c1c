/**
 * A flow's coalesced binding merges the writes its concurrent triggers make alike (timer arms and
 * disarms, message inserts and cancels) into one statement each, and every trigger sees exactly what
 * it would have seen running alone: the same rows written, the same changes and ids answered.
 */
import { env } from 'cloudflare:workers';
import type { BatchItem } from 'drizzle-orm/batch';
import { describe, expect, it } from 'vitest';
import { db, runBatch, type Db } from '../db/client';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { messageRow } from '../../test/helpers/message-row';
import { seedOrder, seedShop } from '../../test/helpers/seed';
import { cancelPending, insertMessage, type MessageRow } from '../delivery/outbox';
import { flowBinding, flowMerges } from './merges';
import { arm, armWhileOrderIn, disarm, rearmPending } from './timers';

const now = new Date('2026-11-20T09:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const KINDS = ['unpaid_reminder', 'unpaid_preclose'];

const message = (shopId: string, id: string, orderId: string, status: MessageRow['status'] = 'queued') =>
  messageRow(shopId, id, orderId, now, { status });

/** A shop with four orders (o4 already paid), armed timers and pending messages. */
async function seeded(tag: string) {
  const shop = await seedShop();
  for (const id of ['o1', 'o2', 'o3']) await seedOrder(shop.id, 'buyer-1', { id });
  await seedOrder(shop.id, 'buyer-1', { id: 'o4', state: 'paid', stateRank: 1 });
  const d = db(env.DB);
  const timer = (orderId: string, step: string) => ({
    shopId: shop.id,
    flow: 'unpaid-reminders' as const,
    orderId,
    step,
  });
  await runBatch(
    d,
    [
      ...['o1', 'o2'].flatMap((o) => [
        arm(d, timer(o, 'reminder'), at(30), now, { rearm: false }),
        arm(d, timer(o, 'preclose'), at(60), now, { rearm: false }),
      ]),
      arm(d, timer('o4', 'stall'), at(90), now, { rearm: false }),
      arm(d, timer('o4', 'peak'), at(120), now, { rearm: false }),
      insertMessage(d, message(shop.id, `${tag}_pre1`, 'o1', 'planned')),
      insertMessage(d, message(shop.id, `${tag}_pre2`, 'o2')),
      { ...message(shop.id, `${tag}_pre3`, 'o2', 'sending'), kind: 'unpaid_preclose' },
    ].map((item) => ('id' in item ? insertMessage(d, item as MessageRow) : item)) as BatchItem<'sqlite'>[],
  );
  return { shop, timer };
}

/** Each trigger's batch, as the flows make them: one order each, but for the shop-level peak timer. */
function triggers(d: Db, shopId: string, tag: string, timer: (orderId: string, step: string) => never) {
  const later = at(5);
  const peak = (due: Date) => arm(d, timer('', 'peak:2026-12-12'), due, later, { rearm: false });
  return [
    [
      insertMessage(d, { ...message(shopId, `${tag}_a`, 'o1'), kind: 'thank_you' }),
      arm(d, timer('o1', 'care'), at(10), later, { rearm: false }),
      disarm(d, { shopId, flow: 'unpaid-reminders', orderId: 'o1' }, ['reminder', 'preclose'], later),
      cancelPending(d, { shopId, orderId: 'o1' }, KINDS, 'paid', later),
    ],
    [
      insertMessage(d, { ...message(shopId, `${tag}_b`, 'o2'), kind: 'thank_you' }),
      arm(d, timer('o2', 'care'), at(10), later, { rearm: false }),
      disarm(d, { shopId, flow: 'unpaid-reminders', orderId: 'o2' }, ['reminder', 'preclose'], later),
      cancelPending(d, { shopId, orderId: 'o2' }, KINDS, 'paid', later),
    ],
    [
      armWhileOrderIn(d, timer('o3', 'reminder'), at(20), later, 'created'),
      armWhileOrderIn(d, timer('o3', 'preclose'), at(40), later, 'created'),
      rearmPending(d, timer('o3', 'x'), at(15), later),
    ],
    [
      armWhileOrderIn(d, timer('o4', 'reminder'), at(20), later, 'created'),
      arm(d, timer('o4', 'stall'), at(200), later, { rearm: 'exact', eventId: 'evt_1' }),
      arm(d, timer('o4', 'peak'), at(100), later, { rearm: true, eventId: 'evt_2' }),
    ],
    // The shop-level timer armed once by two triggers: the first one's due time stays.
    [peak(at(7))],
    [peak(at(8))],
    // A second message of a business key already written is skipped.
    [insertMessage(d, { ...message(shopId, `${tag}_dup`, 'o1'), kind: 'thank_you' })],
    // Another disarm of o1 in the same flush: a group with one key twice is not merged.
    [disarm(d, { shopId, flow: 'unpaid-reminders', orderId: 'o1' }, ['care'], later)],
  ] as BatchItem<'sqlite'>[][];
}

/** Each statement's answer, the tag taken out of ids: changes for a write, ids for a RETURNING. */
function answers(results: unknown[][], tag: string) {
  return results.map((batch) =>
    batch.map((r) =>
      Array.isArray(r) ? (r as { id: string }[]).map((row) => row.id.replace(tag, 'T')) : (r as D1Result).meta.changes,
    ),
  );
}

async function state(shopId: string, tag: string) {
  const timers = await env.DB.prepare(
    'SELECT flow, order_id, step, due_at, event_id, attempts, created_at, updated_at FROM flow_timers WHERE shop_id = ? ORDER BY order_id, step',
  )
    .bind(shopId)
    .all();
  const rows = await env.DB.prepare(
    'SELECT id, order_id, kind, status, reason, due_at, updated_at FROM messages WHERE shop_id = ? ORDER BY id',
  )
    .bind(shopId)
    .all<{ id: string }>();
  return { timers: timers.results, messages: rows.results.map((m) => ({ ...m, id: m.id.replace(tag, 'T') })) };
}

describe('flow merges', () => {
  it('write and answer what each trigger alone would, in a few statements', async () => {
    const alone = await seeded('alone');
    const plain = db(env.DB);
    const one: unknown[][] = [];
    for (const items of triggers(plain, alone.shop.id, 'alone', alone.timer as never))
      one.push(await runBatch(plain, items));

    const together = await seeded('merged');
    const counts: Counted = { roundTrips: 0, statements: 0 };
    const shared = db(flowBinding(countingD1(env.DB, counts)));
    const jobs = triggers(shared, together.shop.id, 'merged', together.timer as never);
    const merged = await Promise.all(jobs.map((items) => runBatch(shared, items)));

    expect(answers(merged, 'merged')).toEqual(answers(one, 'alone'));
    expect(answers(one, 'alone')).toEqual([
      [['T_a'], 1, 2, ['T_pre1']],
      [['T_b'], 1, 2, ['T_pre2']],
      [1, 1, 1],
      [0, 1, 1],
      [1],
      [0],
      [[]],
      [1],
    ]);
    expect(await state(together.shop.id, 'merged')).toEqual(await state(alone.shop.id, 'alone'));
    // 18 statements alone; merged: the inserts, the care arms with the peak arms, the cancels and
    // the first arms-while-created one each, the three disarms (one key twice) and four left over.
    expect(jobs.flat()).toHaveLength(18);
    expect(counts).toEqual({ roundTrips: 1, statements: 11 });
  });

  it('find their rows through a key, never by reading a table or the due index', async () => {
    const plan = async (sql: string, params: unknown[]) =>
      (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join('\n');
    const row = (k: string) => [`${k}0`, `${k}1`, `${k}2`, `${k}3`, '[]', '[]', '[]', '[]'];
    for (const m of flowMerges) {
      const numbered = [...m.sql.matchAll(/\?(\d+)/g)].map((x) => Number(x[1]));
      const count = numbered.length ? Math.max(...numbered) : m.sql.split('?').length - 1;
      const params = m.sql.startsWith('INSERT INTO messages') ? [['[]'], ['[]']] : [row('a'), row('b')];
      const many = m.merge(params.map((p) => p.slice(0, count)))!;
      for (const text of [await plan(m.sql, Array(count).fill('[]')), await plan(many.sql, many.params)]) {
        expect(text).not.toMatch(/SCAN (flow_timers|messages|orders)\b|flow_timers_due_idx/);
      }
    }
  });
});
