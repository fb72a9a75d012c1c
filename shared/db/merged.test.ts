/**
 * Keyed statements merged per queue batch: the triggers of one batch claim their timers and read
 * their orders, buyers, parcels and histories in one statement each, and every caller gets exactly
 * what its own statement would have given it.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { arm, claimOne, type TimerKey } from '../flows/timers';
import { isReturningBuyer } from '../orders/buyer-history';
import { db } from './client';
import { coalescedD1 } from './coalesced-d1';
import { customerByKey, orderByKey, parcelsOfOrder } from './reads';
import { shipments } from './schema';

const now = new Date('2026-11-20T09:00:00Z');
const counted = () => {
  const counts: Counted = { roundTrips: 0, statements: 0 };
  return { counts, batch: db(coalescedD1(countingD1(env.DB, counts))) };
};

describe('keyed statements merged per queue batch', () => {
  it("reads a batch's orders and buyers in one statement each, missing keys included", async () => {
    const shop = await seedShop();
    const other = await seedShop();
    const buyer = await seedCustomer(shop.id);
    const a = await seedOrder(shop.id, buyer.id);
    const b = await seedOrder(shop.id, buyer.id, { total: '9.90' });
    // Same order id in another shop: keys are (shop, order), never the order id alone.
    const c = await seedOrder(other.id, buyer.id, { id: a.id, total: '1.00' });
    const { counts, batch } = counted();
    const [ra, rb, rc, missing, buyerRead, noBuyer] = await Promise.all([
      orderByKey(batch, shop.id, a.id),
      orderByKey(batch, shop.id, b.id),
      orderByKey(batch, other.id, a.id),
      orderByKey(batch, shop.id, 'o_missing'),
      customerByKey(batch, shop.id, buyer.id),
      customerByKey(batch, other.id, buyer.id),
    ]);
    expect([ra, rb, rc]).toEqual([a, b, c]);
    expect(rc!.total).toBe('1.00');
    expect(missing).toBeUndefined();
    expect(buyerRead).toEqual(buyer);
    expect(noBuyer).toBeUndefined();
    expect(counts).toEqual({ roundTrips: 1, statements: 2 });
    // A plain binding reads each key alone, with the same rows.
    expect(await orderByKey(db(env.DB), shop.id, b.id)).toEqual(b);
  });

  it("reads a batch's parcels in one statement, per order, in order, at most 50 each", async () => {
    const shop = await seedShop();
    const buyer = await seedCustomer(shop.id);
    const many = await seedOrder(shop.id, buyer.id);
    const two = await seedOrder(shop.id, buyer.id);
    const none = await seedOrder(shop.id, buyer.id);
    const parcel = (orderId: string, i: number) => ({
      shopId: shop.id,
      orderId,
      id: `${orderId}-p${String(i).padStart(2, '0')}`,
      carrier: 'sf',
      trackingNumber: `${orderId}-${i}`,
      createdAt: new Date(now.getTime() + (i % 7) * 1000),
      updatedAt: now,
    });
    const rows = [...Array.from({ length: 55 }, (_, i) => parcel(many.id, i)), parcel(two.id, 2), parcel(two.id, 1)];
    for (let i = 0; i < rows.length; i += 10)
      await db(env.DB)
        .insert(shipments)
        .values(rows.slice(i, i + 10));
    const { counts, batch } = counted();
    const merged = await Promise.all([
      parcelsOfOrder(batch, shop.id, many.id),
      parcelsOfOrder(batch, shop.id, two.id),
      parcelsOfOrder(batch, shop.id, none.id),
    ]);
    expect(counts.statements).toBe(1);
    const alone = await Promise.all([many, two, none].map((o) => parcelsOfOrder(db(env.DB), shop.id, o.id)));
    expect(merged).toEqual(alone);
    expect(merged.map((p) => p.length)).toEqual([50, 2, 0]);
    // 55 + 2 rows for 3 orders fit the merged limit (150): one statement, the first 50 of the 55 kept.
    expect(merged[1]!.map((p) => p.id)).toEqual([`${two.id}-p01`, `${two.id}-p02`]);

    // More rows than 50 per order asked for: the statement stops there and each order reads alone.
    const more = Array.from({ length: 46 }, (_, i) => parcel(many.id, 55 + i));
    for (let i = 0; i < more.length; i += 10)
      await db(env.DB)
        .insert(shipments)
        .values(more.slice(i, i + 10));
    const again = counted();
    const bounded = await Promise.all([
      parcelsOfOrder(again.batch, shop.id, many.id),
      parcelsOfOrder(again.batch, shop.id, none.id),
    ]);
    expect(again.counts.statements).toBe(3);
    expect(bounded).toEqual([await parcelsOfOrder(db(env.DB), shop.id, many.id), []]);
    expect(bounded[0]).toHaveLength(50);
  });

  it("claims a batch's timers in one statement, each at most once", async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    const key = (orderId: string): TimerKey => ({ shopId: shop.id, flow: 'thank-you', orderId, step: 'on:order.paid' });
    for (const id of ['a', 'b', 'held']) await arm(d, key(id), now, now, { rearm: false, eventId: `evt_${id}` });
    await arm(d, key('later'), new Date(now.getTime() + 60_000), new Date(now.getTime() - 1), { rearm: false });
    expect(await claimOne(d, key('held'), now)).toBeDefined();
    const { counts, batch } = counted();
    const claims = await Promise.all(
      ['a', 'b', 'a', 'held', 'later', 'never'].map((id) => claimOne(batch, key(id), now)),
    );
    expect(counts.statements).toBe(1);
    expect(claims.map((c) => c?.orderId)).toEqual(['a', 'b', undefined, undefined, undefined, undefined]);
    expect(claims[0]).toMatchObject({ eventId: 'evt_a', attempts: 0, leaseUntil: now.getTime() + 10 * 60_000 });
    // Taken: neither a later batch nor a plain claim gets them again.
    expect(await claimOne(db(coalescedD1(env.DB)), key('a'), now)).toBeUndefined();
    expect(await claimOne(d, key('b'), now)).toBeUndefined();
  });

  it('claims made at different instants never share a statement (each keeps its own lease)', async () => {
    const shop = await seedShop();
    const d = db(env.DB);
    const key = (orderId: string): TimerKey => ({ shopId: shop.id, flow: 'thank-you', orderId, step: 'on:order.paid' });
    for (const id of ['x', 'y']) await arm(d, key(id), now, now, { rearm: false });
    const later = new Date(now.getTime() + 5);
    const { counts, batch } = counted();
    const [x, y] = await Promise.all([claimOne(batch, key('x'), now), claimOne(batch, key('y'), later)]);
    expect(counts.statements).toBe(2);
    expect(x!.leaseUntil).toBe(now.getTime() + 10 * 60_000);
    expect(y!.leaseUntil).toBe(later.getTime() + 10 * 60_000);
  });

  it("answers a batch's returning-buyer checks in one statement, as each check alone would", async () => {
    const shop = await seedShop();
    const loyal = await seedCustomer(shop.id);
    const fresh = await seedCustomer(shop.id);
    const placed = new Date('2026-11-10T00:00:00Z');
    await seedOrder(shop.id, loyal.id, { paidAt: new Date('2026-11-01T00:00:00Z'), state: 'paid', stateRank: 1 });
    // Paid, but after the order below was placed: not an earlier purchase.
    await seedOrder(shop.id, fresh.id, { paidAt: new Date('2026-11-11T00:00:00Z'), state: 'paid', stateRank: 1 });
    const orderOf = (buyerId: string | null, id: string) => ({ shopId: shop.id, id, buyerId, placedAt: placed });
    const orders = [orderOf(loyal.id, 'o1'), orderOf(fresh.id, 'o2'), orderOf(null, 'o3'), orderOf('nobody', 'o4')];
    const { counts, batch } = counted();
    const merged = await Promise.all(orders.map((o) => isReturningBuyer(batch, o)));
    expect(counts.statements).toBe(1);
    expect(merged).toEqual([true, false, false, false]);
    expect(await Promise.all(orders.map((o) => isReturningBuyer(db(env.DB), o)))).toEqual(merged);
  });
});
