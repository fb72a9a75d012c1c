/** The one claim every flow shares: due rows only, through the partial index, never twice. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { seedShop } from '../../test/helpers/seed';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { coalescedD1 } from '../db/coalesced-d1';
import { rawItem } from '../db/prepared-item';
import { arm, claimDue, claimOne, complete, completionMerge } from './timers';

const now = new Date('2026-11-20T09:00:00Z');
const MIN = 60_000;

describe('flow timers', () => {
  it('scans only due rows through the partial index, a bounded batch at a time', async () => {
    const plan = await env.DB.prepare(
      `EXPLAIN QUERY PLAN SELECT rowid FROM flow_timers INDEXED BY flow_timers_due_idx
       WHERE flow = ?1 AND due_at <= ?2 AND step IN (?4) ORDER BY due_at LIMIT ?3`,
    )
      .bind('thank-you', now.getTime(), 5, 'x')
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join('\n')).toContain('flow_timers_due_idx');

    const shop = await seedShop();
    const d = db(env.DB);
    for (let i = 0; i < 7; i++) {
      const key = { shopId: shop.id, flow: 'thank-you' as const, orderId: `o-${i}`, step: 'on:order.paid' };
      await arm(d, key, new Date(now.getTime() - (i + 1) * MIN), now, { rearm: false });
    }
    await arm(
      d,
      { shopId: shop.id, flow: 'thank-you', orderId: 'later', step: 'on:order.paid' },
      new Date(now.getTime() + MIN),
      now,
      {
        rearm: false,
      },
    );
    const q = { flow: 'thank-you', steps: { prefix: 'on:' }, dueBy: now, now, limit: 5, shopId: shop.id } as const;
    const first = await claimDue(env.DB, q);
    // The oldest five first (RETURNING gives no order, so compare as sets).
    expect(first.timers.map((t) => t.orderId).sort()).toEqual(['o-2', 'o-3', 'o-4', 'o-5', 'o-6']);
    const second = await claimDue(env.DB, q);
    expect(second.timers.map((t) => t.orderId).sort()).toEqual(['o-0', 'o-1']);
    // Rows read: the due ones plus one to see the range end; the timer not yet due is never taken.
    expect(second.rowsRead).toBeLessThanOrEqual(3);
    expect((await claimDue(env.DB, q)).timers).toEqual([]);
  });

  it("runs a pass's reads in the claim's batch, over exactly the timers it claimed", async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    const key = (orderId: string) => ({ shopId: shop.id, flow: 'thank-you' as const, orderId, step: 'care' });
    for (const id of ['a', 'b', 'c']) await arm(d, key(id), new Date(now.getTime() - MIN), now, { rearm: false });
    await arm(d, key('later'), new Date(now.getTime() + MIN), now, { rearm: false });
    // Another pass holds `b` already: this claim must neither take it nor read it.
    const held = await claimOne(d, key('b'), now);
    expect(held).toBeDefined();
    const q = { flow: 'thank-you', steps: ['care'], dueBy: now, now, limit: 10, shopId: shop.id } as const;
    const seen: string[] = [];
    const claim = await claimDue(env.DB, q, (claimed, params) => {
      seen.push(...params.map(String));
      return [
        env.DB.prepare(
          `SELECT order_id, due_at FROM (${claimed}) JOIN flow_timers USING (shop_id, flow, order_id, step) ORDER BY order_id`,
        ).bind(...params),
        env.DB.prepare('SELECT ?3 AS own').bind(...params, 'third parameter'),
      ];
    });
    expect(claim.timers.map((t) => t.orderId).sort()).toEqual(['a', 'c']);
    const [read, own] = claim.reads;
    // The read saw the claim's own lease: it ran after the UPDATE, in the same batch.
    expect(read!.results).toEqual([
      { order_id: 'a', due_at: claim.timers[0]!.leaseUntil },
      { order_id: 'c', due_at: claim.timers[0]!.leaseUntil },
    ]);
    expect(own!.results).toEqual([{ own: 'third parameter' }]);
    expect(seen).toHaveLength(2);
    // Nothing due: no batch, no reads.
    const none = await claimDue(env.DB, q, () => {
      throw new Error('reads asked for with nothing claimed');
    });
    expect(none).toMatchObject({ timers: [], reads: [] });
  });

  it('never hands one timer to two claims, and a completion after a re-arm keeps it armed', async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    const key = { shopId: shop.id, flow: 'unpaid-reminders' as const, orderId: 'o', step: 'on:order.paid' };
    await arm(d, key, now, now, { rearm: true });
    const claims = await Promise.all([claimOne(d, key, now), claimOne(d, key, now), claimOne(d, key, now)]);
    const held = claims.filter((c) => c !== undefined);
    expect(held).toHaveLength(1);
    // Another event re-arms it while it is held: the holder's completion must not clear it.
    const later = new Date(now.getTime() + 1000);
    await arm(d, key, later, later, { rearm: true });
    await complete(d, held[0]!, later);
    expect(await claimOne(d, key, new Date(later.getTime() + 1000))).toBeDefined();
  });

  it('completes the triggers of a batch that finish together in one statement, each on its own lease', async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    const key = (orderId: string) => ({ shopId: shop.id, flow: 'thank-you' as const, orderId, step: 'on:order.paid' });
    for (const id of ['a', 'b', 'c', 'd']) await arm(d, key(id), now, now, { rearm: false });
    const held = await Promise.all(['a', 'b', 'c', 'd'].map((id) => claimOne(d, key(id), now)));
    // `c` is re-armed while held: its completion must leave it armed.
    const later = new Date(now.getTime() + 1000);
    await arm(d, key('c'), later, later, { rearm: true });
    const counts: Counted = { roundTrips: 0, statements: 0 };
    const batch = db(coalescedD1(countingD1(env.DB, counts), { merges: [completionMerge] }));
    const note = (id: string) =>
      rawItem(batch, 'UPDATE flow_timers SET event_id = ? WHERE shop_id = ? AND order_id = ?', [
        `evt_${id}`,
        shop.id,
        id,
      ]);
    const results = await Promise.all([
      batch.batch([note('a'), complete(batch, held[0]!, later)]),
      batch.batch([complete(batch, held[1]!, later)]),
      batch.batch([note('c'), complete(batch, held[2]!, later)]),
      // Not the batch's last statement: it still runs before the batch's own next one.
      batch.batch([complete(batch, held[3]!, later), note('d')]),
    ]);
    // The four completions became one statement in the one shared transaction, after the notes
    // that come before them and before the note that follows one.
    expect(counts).toEqual({ roundTrips: 1, statements: 4 });
    const changes = (r: unknown) => (r as D1Result).meta.changes;
    expect(results.map((r) => r.length)).toEqual([2, 1, 2, 2]);
    expect([results[0]![1], results[1]![0], results[2]![1], results[3]![0]].map(changes)).toEqual([1, 1, 0, 1]);
    const rows = await env.DB.prepare(
      'SELECT order_id, due_at, updated_at, event_id FROM flow_timers WHERE shop_id = ? ORDER BY order_id',
    )
      .bind(shop.id)
      .all();
    expect(rows.results).toEqual([
      { order_id: 'a', due_at: null, updated_at: later.getTime(), event_id: 'evt_a' },
      { order_id: 'b', due_at: null, updated_at: later.getTime(), event_id: null },
      { order_id: 'c', due_at: later.getTime(), updated_at: later.getTime(), event_id: 'evt_c' },
      { order_id: 'd', due_at: null, updated_at: later.getTime(), event_id: 'evt_d' },
    ]);
  });

  it('runs each batch alone, its own completion included, when the shared transaction fails', async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    const key = (orderId: string) => ({ shopId: shop.id, flow: 'thank-you' as const, orderId, step: 'on:order.paid' });
    for (const id of ['a', 'b']) await arm(d, key(id), now, now, { rearm: false });
    const held = await Promise.all(['a', 'b'].map((id) => claimOne(d, key(id), now)));
    const batch = db(coalescedD1(env.DB, { merges: [completionMerge] }));
    const [ok, failed] = await Promise.allSettled([
      batch.batch([complete(batch, held[0]!, now)]),
      batch.batch([rawItem(batch, 'INSERT INTO no_such_table VALUES (1)', []), complete(batch, held[1]!, now)]),
    ]);
    expect(ok.status).toBe('fulfilled');
    expect(failed.status).toBe('rejected');
    const rows = await env.DB.prepare('SELECT order_id, due_at FROM flow_timers WHERE shop_id = ? ORDER BY order_id')
      .bind(shop.id)
      .all();
    // `a` completed; `b`'s batch failed whole, so it stays claimed under its lease.
    expect(rows.results).toEqual([
      { order_id: 'a', due_at: null },
      { order_id: 'b', due_at: held[1]!.leaseUntil },
    ]);
  });
});
