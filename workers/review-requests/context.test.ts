/**
 * The review flow's reads of one order, on real D1: a queue batch's triggers read the open cases,
 * reviews and planned requests of all their orders in one statement each, with the answers a
 * trigger reading alone gets (a pass, a test, the simulator).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { coalescedD1 } from '../../shared/db/coalesced-d1';
import { messages } from '../../shared/db/schema';
import { newId } from '../../shared/crypto/random';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { loadContext } from './context';
import { closeCase, openCase, parcel, review } from './test-facts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 11, 4);

async function request(shopId: string, orderId: string, step: number, createdAt: number) {
  const at = new Date(createdAt);
  const [row] = await db(env.DB)
    .insert(messages)
    .values({
      id: newId('msg'),
      shopId,
      orderId,
      kind: 'review_request',
      step,
      channel: 'sms',
      recipient: '+8613800138000',
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row!;
}

/** Three orders: one held by an open case with two requests planned, one reviewed, one bare. */
async function orders() {
  const shop = await seedShop();
  const buyer = await seedCustomer(shop.id);
  const [held, reviewed, bare] = [
    await seedOrder(shop.id, buyer.id),
    await seedOrder(shop.id, buyer.id),
    await seedOrder(shop.id, buyer.id),
  ];
  await openCase(shop.id, held.id, 'c-open', T0 - DAY);
  await openCase(shop.id, reviewed.id, 'c-closed', T0 - 2 * DAY);
  await closeCase(shop.id, reviewed.id, 'c-closed', T0 - DAY);
  await request(shop.id, held.id, 0, T0 - 2 * DAY);
  const newest = await request(shop.id, held.id, 1, T0 - DAY);
  await review(shop.id, reviewed.id, 5, '很好', T0);
  for (const o of [held, reviewed, bare]) await parcel(shop.id, o.id, 'delivered', T0 - 3 * DAY);
  return { shop, ids: [held.id, reviewed.id, bare.id], newest };
}

const facts = (ctx: Awaited<ReturnType<typeof loadContext>>) => ({
  hold: ctx!.hold,
  review: ctx!.review?.rating ?? null,
  request: ctx!.request?.id ?? null,
  anchor: ctx!.anchor?.getTime() ?? null,
});

describe("the review flow's reads of one order", () => {
  it('reads a batch of orders in one statement per read, answering as each order read alone', async () => {
    const { shop, ids, newest } = await orders();
    const alone = await Promise.all(ids.map(async (id) => facts(await loadContext(db(env.DB), shop.id, id))));
    expect(alone).toEqual([
      { hold: 'held_open_case', review: null, request: newest.id, anchor: T0 - 3 * DAY },
      { hold: null, review: 5, request: null, anchor: T0 - 3 * DAY },
      { hold: null, review: null, request: null, anchor: T0 - 3 * DAY },
    ]);

    const statementsFor = async (orderIds: string[]) => {
      const counts: Counted = { roundTrips: 0, statements: 0, sql: [] };
      const batch = db(coalescedD1(countingD1(env.DB, counts)));
      const read = await Promise.all(orderIds.map(async (id) => facts(await loadContext(batch, shop.id, id))));
      return { read, counts };
    };
    const one = await statementsFor(ids.slice(0, 1));
    const all = await statementsFor(ids);
    expect(all.read).toEqual(alone);
    // Three orders cost what one does: each read is one statement for the whole batch.
    expect(all.counts.statements).toBe(one.counts.statements);
    for (const table of ['cases', 'reviews', 'messages']) {
      expect(all.counts.sql!.filter((q) => new RegExp(`from "?${table}"? `, 'i').test(q))).toHaveLength(1);
    }
  });
});
