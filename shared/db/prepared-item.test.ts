/**
 * Prepared statements: built once per client, bound per use, mapped like drizzle's own queries, in a
 * batch with each use's own values, or run alone when awaited.
 */
import { env } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { seedShop } from '../../test/helpers/seed';
import { db, runBatch } from './client';
import { preparedItem } from './prepared-item';
import { shops } from './schema';

let builds = 0;
const shopById = preparedItem<{ id: string }>((d) => {
  builds += 1;
  return d
    .select()
    .from(shops)
    .where(eq(shops.id, sql`${sql.placeholder('id')}`));
});
const rename = preparedItem<{ id: string; name: string; updatedMs: number }>((d) =>
  d
    .update(shops)
    .set({ name: sql`${sql.placeholder('name')}`, updatedAt: sql`${sql.placeholder('updatedMs')}` })
    .where(eq(shops.id, sql`${sql.placeholder('id')}`))
    .returning({ name: shops.name, updatedAt: shops.updatedAt }),
);

describe('prepared batch items', () => {
  it('binds each use to its own values in one batch, and maps rows as drizzle does', async () => {
    const [a, b] = [await seedShop({ name: 'A' }), await seedShop({ name: 'B' })];
    const counts: Counted = { roundTrips: 0, statements: 0 };
    const d = db(countingD1(env.DB, counts));
    builds = 0;
    const at = new Date('2026-12-01T08:00:00Z');
    const results = await runBatch(d, [
      shopById(d, { id: a.id }),
      rename(d, { id: b.id, name: 'B2', updatedMs: at.getTime() }),
      shopById(d, { id: b.id }),
      shopById(d, { id: 'shop_missing' }),
    ]);
    expect(counts).toEqual({ roundTrips: 1, statements: 4 });
    const [rowsA, renamed, rowsB, none] = results as [
      (typeof a)[],
      { name: string; updatedAt: Date }[],
      (typeof b)[],
      [],
    ];
    expect(rowsA).toEqual([a]);
    // Timestamps come back as Dates, and the later read in the batch sees the earlier write.
    expect(renamed).toEqual([{ name: 'B2', updatedAt: at }]);
    expect(rowsB).toEqual([{ ...b, name: 'B2', updatedAt: at }]);
    expect(none).toEqual([]);
    // Built once for the client, however many uses.
    expect(builds).toBe(1);
  });

  it('runs alone when awaited, like a query builder', async () => {
    const shop = await seedShop({ name: 'C' });
    const d = db(env.DB);
    const renamed = await rename(d, { id: shop.id, name: 'C2', updatedMs: 1_000 });
    expect(renamed).toEqual([{ name: 'C2', updatedAt: new Date(1_000) }]);
    expect(await shopById(d, { id: shop.id })).toEqual([{ ...shop, name: 'C2', updatedAt: new Date(1_000) }]);
  });

  it('refuses a use without a value for a placeholder', () => {
    expect(() => shopById(db(env.DB), {} as { id: string })).toThrow('No value for placeholder "id"');
  });
});
