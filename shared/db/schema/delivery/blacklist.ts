/** Phones, emails and buyer ids a shop never messages. */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const blacklistTypes = ['phone', 'email', 'buyer'] as const;
export type BlacklistType = (typeof blacklistTypes)[number];

export const blacklist = sqliteTable(
  'blacklist',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    type: text('type', { enum: blacklistTypes }).notNull(),
    /** E.164 phone, lower-cased email, or the shop's buyer id. */
    value: text('value').notNull(),
    note: text('note'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.type, t.value] })],
);

export type BlacklistEntry = typeof blacklist.$inferSelect;
