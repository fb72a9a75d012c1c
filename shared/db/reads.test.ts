/**
 * The flows' key reads: rows as drizzle maps them, and a shop read shared across one queue batch's
 * coalesced binding but never across batches or on a plain binding.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { seedShop } from '../../test/helpers/seed';
import { db } from './client';
import { coalescedD1 } from './coalesced-d1';
import { orderByKey, perBatch, shopById } from './reads';

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
