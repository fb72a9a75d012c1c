/**
 * The flows' key reads: rows as drizzle maps them, and a shop read shared across one queue batch's
 * coalesced binding but never across batches or on a plain binding.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { newId } from '../crypto/random';
import { db } from './client';
import { coalescedD1 } from './coalesced-d1';
import { latestTrackingEvent, orderByKey, perBatch, shopById } from './reads';
import { shipments, trackingEvents, type ShipmentStatus } from './schema';

const rename = (id: string, name: string) =>
  env.DB.prepare('UPDATE shops SET name = ? WHERE id = ?').bind(name, id).run();

describe('flow key reads', () => {
  it('maps the shop row as drizzle does (JSON settings, dates)', async () => {
    const shop = await seedShop({ name: 'Mapped' });
    const read = await shopById(db(env.DB), shop.id);
    expect(read).toEqual(shop);
    expect(read!.createdAt).toBeInstanceOf(Date);
    expect(await shopById(db(env.DB), 'shop_missing')).toBeUndefined();
    expect(await orderByKey(db(env.DB), shop.id, 'order_missing')).toBeUndefined();
  });

  it("shares one batch's read of a shop among its triggers, in one statement", async () => {
    const shop = await seedShop({ name: 'Before' });
    const counts: Counted = { roundTrips: 0, statements: 0 };
    const batch = db(coalescedD1(countingD1(env.DB, counts)));
    const [a, b] = await Promise.all([shopById(batch, shop.id), shopById(batch, shop.id)]);
    expect(a!.name).toBe('Before');
    expect(b).toBe(a);
    expect(counts.statements).toBe(1);
    await rename(shop.id, 'After');
    // The same batch keeps what it read; the next batch reads again.
    expect((await shopById(batch, shop.id))!.name).toBe('Before');
    expect((await shopById(db(coalescedD1(env.DB)), shop.id))!.name).toBe('After');
  });

  it('reads the shop every time on a plain binding (a pass, a test, the simulator)', async () => {
    const shop = await seedShop({ name: 'Before' });
    const plain = db(env.DB);
    expect((await shopById(plain, shop.id))!.name).toBe('Before');
    await rename(shop.id, 'After');
    expect((await shopById(plain, shop.id))!.name).toBe('After');
  });

  it('does not share a failed read: the next caller in the batch reads again', async () => {
    const batch = db(coalescedD1(env.DB));
    let calls = 0;
    const read = async () => {
      calls += 1;
      if (calls === 1) throw new Error('D1 went away');
      return calls;
    };
    await expect(perBatch(batch, 'k', read)).rejects.toThrow('D1 went away');
    expect(await perBatch(batch, 'k', read)).toBe(2);
    expect(await perBatch(batch, 'k', read)).toBe(2);
    expect(calls).toBe(2);
  });
});

describe("parcels' newest tracking events", () => {
  /** A parcel of the order with tracking events of the given statuses, an hour apart from `at`. */
  async function parcelWith(shopId: string, orderId: string, at: number, statuses: ShipmentStatus[]) {
    const id = newId('shp');
    const time = new Date(at);
    const d = db(env.DB);
    await d.insert(shipments).values({
      id,
      shopId,
      orderId,
      carrier: '顺丰速运',
      trackingNumber: `SF${id}`,
      status: statuses.at(-1) ?? 'info_received',
      statusAt: time,
      createdAt: time,
      updatedAt: time,
    });
    if (statuses.length === 0) return id;
    await d.insert(trackingEvents).values(
      statuses.map((status, i) => ({
        id: newId('trk'),
        shopId,
        shipmentId: id,
        orderId,
        status,
        occurredAt: new Date(at + i * 3_600_000),
        createdAt: time,
      })),
    );
    return id;
  }

  it("reads a batch's parcels in one statement, answering as each parcel read alone", async () => {
    const shop = await seedShop();
    const order = await seedOrder(shop.id, (await seedCustomer(shop.id)).id);
    const at = Date.UTC(2026, 10, 11);
    const parcels = [
      await parcelWith(shop.id, order.id, at, ['in_transit', 'arrived_in_city', 'delivered']),
      await parcelWith(shop.id, order.id, at, ['in_transit', 'exception']),
      await parcelWith(shop.id, order.id, at, []),
    ];
    const alone = await Promise.all(parcels.map((id) => latestTrackingEvent(db(env.DB), shop.id, id)));
    expect(alone.map((e) => e?.status ?? null)).toEqual(['delivered', 'exception', null]);

    const counts: Counted = { roundTrips: 0, statements: 0 };
    const batch = db(coalescedD1(countingD1(env.DB, counts)));
    const merged = await Promise.all(parcels.map((id) => latestTrackingEvent(batch, shop.id, id)));
    expect(merged).toEqual(alone);
    expect(merged[0]!.occurredAt).toBeInstanceOf(Date);
    expect(counts.statements).toBe(1);
  });
});
