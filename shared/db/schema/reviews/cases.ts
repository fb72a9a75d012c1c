/**
 * Complaint, return and refund cases from `case.opened` / `case.closed`: a fact recorded by the
 * intake, one row per (shop, order, case id). A case is open while `closed_at` is null; a close that
 * arrives before its open still closes it (events can come out of order).
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const caseKinds = ['complaint', 'return', 'refund'] as const;
export type CaseKind = (typeof caseKinds)[number];

export const cases = sqliteTable(
  'cases',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    /** The shop's case id. */
    id: text('id').notNull(),
    /** Null while only the close has arrived. */
    kind: text('kind', { enum: caseKinds }),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  // The key's (shop, order) prefix serves the open-case lookup of an order.
  (t) => [primaryKey({ columns: [t.shopId, t.orderId, t.id] })],
);

export type Case = typeof cases.$inferSelect;
