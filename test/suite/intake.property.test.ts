/**
 * Property-based intake tests (fast-check): random sequences of contract events over a few orders,
 * with re-deliveries, reorderings, concurrent batches and rejected deliveries mixed in. Invariants:
 *  - each order's final state is the state of its greatest (rank, event time) event, whatever the arrival order;
 *  - one intake row per webhook-id, and for each id exactly one 202 (the rest 200 duplicate);
 *  - at most one message per business key;
 *  - a rejected delivery (bad signature, invalid body) leaves no row.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { iso, orderCreated } from '../helpers/events';
import { createShop, sendEvent, type TestShop } from '../helpers/gateway';
import { stateRank } from '../../shared/orders/state-machine';
import { cases, suiteSeed } from './scale';

type Kind = 'created' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refunded' | 'tracking' | 'review';
type Ev = { order: number; kind: Kind; at: number };
type Delivery = { id: string; body: unknown; reject?: 'signature' | 'invalid' };

const T0 = Date.parse('2026-11-11T02:00:00Z');
const stateKinds = ['created', 'paid', 'shipped', 'completed', 'cancelled', 'refunded'] as const;

function body(orderId: string, e: Ev): unknown {
  const at = iso(T0 + e.at * 1000);
  const envelope = (type: string, data: Record<string, unknown>) => ({ type, timestamp: at, data });
  switch (e.kind) {
    case 'created':
      return orderCreated(orderId, T0 + e.at * 1000);
    case 'paid':
      return envelope('order.paid', { order_id: orderId, paid_at: at });
    case 'shipped':
      return envelope('order.shipped', { order_id: orderId, shipped_at: at, carrier: 'SF', tracking_number: 'SF1' });
    case 'completed':
      return envelope('order.completed', { order_id: orderId, completed_at: at });
    case 'cancelled':
      return envelope('order.cancelled', { order_id: orderId, cancelled_at: at });
    case 'refunded':
      return envelope('order.refunded', { order_id: orderId, refunded_at: at });
    case 'tracking':
      return envelope('shipment.updated', {
        order_id: orderId,
        carrier: 'SF',
        tracking_number: 'SF1',
        status: 'in_transit',
        occurred_at: at,
      });
    case 'review':
      return envelope('review.created', { order_id: orderId, rating: 5, created_at: at });
  }
}

const eventArb = fc.record({
  order: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom<Kind>(...stateKinds, 'tracking', 'review'),
  at: fc.integer({ min: 0, max: 20 }),
});

const planArb = fc.record({
  events: fc.array(eventArb, { minLength: 1, maxLength: 5 }),
  /** Indexes of deliveries sent a second time (re-deliveries with the same webhook-id). */
  repeats: fc.array(fc.nat(), { maxLength: 2 }),
  /** Indexes of deliveries spoiled before sending. */
  spoiled: fc.array(fc.record({ index: fc.nat(), how: fc.constantFrom('signature' as const, 'invalid' as const) }), {
    maxLength: 2,
  }),
  /** A permutation seed and batch sizes: deliveries in one batch are sent concurrently. */
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  batch: fc.integer({ min: 1, max: 3 }),
});

let shop: TestShop;
let run = 0;
const tally = { cases: 0, deliveries: 0, redelivered: 0, rejected: 0, duplicateRows: 0, duplicateKeys: 0 };
beforeAll(async () => {
  shop = await createShop('Property intake');
});

async function intakeRows(ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  const marks = ids.map(() => '?').join(',');
  const rows = await env.DB.prepare(
    `SELECT webhook_id, count(*) AS n FROM webhook_events WHERE shop_id = ? AND webhook_id IN (${marks}) GROUP BY webhook_id`,
  )
    .bind(shop.shop_id, ...ids)
    .all<{ webhook_id: string; n: number }>();
  return new Map(rows.results.map((r) => [r.webhook_id, r.n]));
}

describe('intake properties', () => {
  it('keeps state, dedupe and rejection invariants for random delivery plans', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const prefix = `prop-${++run}-${crypto.randomUUID().slice(0, 8)}`;
        const orderIds = [0, 1, 2].map((i) => `${prefix}-o${i}`);
        const deliveries: Delivery[] = plan.events.map((e, i) => ({
          id: `${prefix}-w${i}`,
          body: body(orderIds[e.order]!, e),
        }));
        for (const { index, how } of plan.spoiled) deliveries[index % deliveries.length]!.reject = how;
        const sends = [...deliveries, ...plan.repeats.map((r) => deliveries[r % deliveries.length]!)];
        // A random arrival order, then batches sent concurrently.
        const keyed = sends.map((d, i) => ({ d, key: plan.order[i % plan.order.length]! * 31 + i }));
        keyed.sort((a, b) => a.key - b.key);
        const statuses = new Map<string, number[]>();
        for (let i = 0; i < keyed.length; i += plan.batch) {
          const batch = keyed.slice(i, i + plan.batch).map(({ d }) => d);
          const answers = await Promise.all(
            batch.map((d) => {
              const opts =
                d.reject === 'signature'
                  ? { id: d.id, signature: 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }
                  : d.reject === 'invalid'
                    ? { id: d.id, rawBody: JSON.stringify({ ...(d.body as object), timestamp: 'not a time' }) }
                    : { id: d.id };
              return sendEvent(shop, d.body, opts).then((r) => r.status);
            }),
          );
          batch.forEach((d, j) => statuses.set(d.id, [...(statuses.get(d.id) ?? []), answers[j]!]));
        }

        // Dedupe: one 202 per accepted id and 200 for the rest; rejected ids 401/400 every time.
        const rows = await intakeRows(deliveries.map((d) => d.id));
        tally.cases++;
        tally.deliveries += sends.length;
        tally.redelivered += plan.repeats.length;
        tally.rejected += sends.filter((d) => d.reject).length;
        tally.duplicateRows += [...rows.values()].filter((n) => n > 1).length;
        for (const d of deliveries) {
          const got = statuses.get(d.id)!;
          if (d.reject) {
            expect(got.every((s) => s === (d.reject === 'signature' ? 401 : 400))).toBe(true);
            expect(rows.get(d.id)).toBeUndefined();
          } else {
            expect([...got].sort()).toEqual(
              [200, 200, 200]
                .slice(0, got.length - 1)
                .concat(202)
                .sort(),
            );
            expect(rows.get(d.id)).toBe(1);
          }
        }

        // State: the greatest (rank, time) among accepted state events of each order.
        for (const [i, orderId] of orderIds.entries()) {
          const applied = plan.events
            .map((e, j) => ({ e, d: deliveries[j]! }))
            .filter(({ e, d }) => e.order === i && !d.reject && (stateKinds as readonly string[]).includes(e.kind));
          const row = await env.DB.prepare('SELECT state, state_at FROM orders WHERE shop_id = ? AND id = ?')
            .bind(shop.shop_id, orderId)
            .first<{ state: string; state_at: number }>();
          if (applied.length === 0) {
            expect(row).toBeNull();
            continue;
          }
          const best = applied
            .map(({ e }) => ({ state: e.kind, rank: stateRank[e.kind as keyof typeof stateRank], at: e.at }))
            .reduce((a, b) => (b.rank > a.rank || (b.rank === a.rank && b.at > a.at) ? b : a));
          expect(row).toEqual({ state: best.state, state_at: T0 + best.at * 1000 });
        }

        // Business keys: never two messages for one key.
        const dupes = await env.DB.prepare(
          `SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE shop_id = ?
             GROUP BY order_id, kind, step, channel, recipient HAVING count(*) > 1)`,
        )
          .bind(shop.shop_id)
          .first<{ n: number }>();
        tally.duplicateKeys += dupes!.n;
        expect(dupes!.n).toBe(0);
      }),
      { numRuns: cases(120, 2_000), seed: suiteSeed, endOnFailure: true },
    );
    console.log(`intake properties: seed ${suiteSeed}, ${JSON.stringify(tally)}`);
  }, 3_600_000);
});
