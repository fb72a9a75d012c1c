import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from './client';
import { placeholders, prepared, preparedRow, shapeKey, type Row } from './prepared';
import { customers, orders } from './schema';

const d = db(env.DB);
const at = new Date('2026-11-11T02:00:00.000Z');
const now = new Date('2026-11-11T02:00:01.500Z');

// Each row through a statement built once with placeholders must give exactly the SQL and
// parameters drizzle builds for that row directly, whatever the row's shape and column types.
const cases: { name: string; table: typeof orders | typeof customers; row: Row }[] = [
  {
    name: 'order with details: dates, JSON, text',
    table: orders,
    row: {
      shopId: 'shop_1',
      id: 'A1',
      buyerId: 'b1',
      state: 'created',
      stateRank: 0,
      stateAt: at,
      stateEventId: 'evt_1',
      total: '258.00',
      items: [{ title: '茶', quantity: 1, unit_price: '258.00' }],
      shippingAddress: { name: '王', country: 'CN', line1: '路 1 号' },
      detailsAt: at,
      createdAt: now,
      updatedAt: now,
    },
  },
  {
    name: 'order fact only (other keys undefined)',
    table: orders,
    row: {
      shopId: 'shop_1',
      id: 'A2',
      buyerId: undefined,
      state: 'paid',
      stateRank: 1,
      stateAt: at,
      stateEventId: 'evt_2',
      paidAt: at,
      createdAt: now,
      updatedAt: now,
    },
  },
  {
    name: 'customer: booleans, JSON arrays, nulls; defaulted columns left out',
    table: customers,
    row: {
      shopId: 'shop_1',
      id: 'b1',
      name: '王小明',
      phone: '+8613800000000',
      timezone: null,
      tags: ['vip'],
      marketingConsent: true,
      detailsAt: at,
      createdAt: now,
      updatedAt: now,
    },
  },
  {
    name: 'customer without consent (column default)',
    table: customers,
    row: { shopId: 'shop_1', id: 'b2', tags: [], detailsAt: at, createdAt: now, updatedAt: now },
  },
];

describe('prepared statements', () => {
  it.each(cases)('$name: the same SQL and parameters as drizzle builds', ({ table, row }) => {
    const direct = d
      .insert(table)
      .values(row as never)
      .toSQL();
    const key = shapeKey(`test.${table === orders ? 'orders' : 'customers'}`, row);
    const built = () => d.insert(table).values(placeholders(row) as never);
    // Twice: the second call binds into the SQL the first one built.
    for (let i = 0; i < 2; i++) {
      expect(prepared(key, built, row)).toEqual({ sql: direct.sql, params: direct.params });
    }
  });

  it('preparedRow builds per shape and binds the row, as drizzle would', () => {
    for (const { row } of cases.filter((c) => c.table === orders)) {
      const direct = d
        .insert(orders)
        .values(row as never)
        .toSQL();
      const stmt = preparedRow('test.row', row, (p) => d.insert(orders).values(p as never));
      expect(stmt).toEqual({ sql: direct.sql, params: direct.params });
    }
  });

  it('a row of another shape gets its own SQL', () => {
    const full = cases[0]!.row;
    const less = { ...full, total: undefined };
    const build = (r: Row) => () => d.insert(orders).values(placeholders(r) as never);
    const a = prepared(shapeKey('test.shape', full), build(full), full);
    const b = prepared(shapeKey('test.shape', less), build(less), less);
    expect(b.sql).not.toEqual(a.sql);
    const direct = d
      .insert(orders)
      .values(less as never)
      .toSQL();
    expect(b).toEqual({ sql: direct.sql, params: direct.params });
    expect(b.params).toHaveLength(a.params.length - 1);
  });

  it('refuses a value missing for a placeholder, inherited names included', () => {
    const row = { shopId: 's', id: 'x' };
    const build = () => d.insert(customers).values(placeholders(row) as never);
    expect(() => prepared('test.missing', build, { shopId: 's' })).toThrow(/no value for id/);
    const inherited = Object.create({ id: 'from the prototype' }) as Row;
    inherited.shopId = 's';
    expect(() => prepared('test.missing', build, inherited)).toThrow(/no value for id/);
  });
});
