/** Buyers of a shop, keyed by the shop's own buyer id, with contacts and consent. */
import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const customers = sqliteTable(
  'customers',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** The shop's buyer id (`buyer.id` in the webhook contract). */
    id: text('id').notNull(),
    name: text('name'),
    /** E.164. */
    phone: text('phone'),
    email: text('email'),
    /** BCP 47, e.g. zh-CN. */
    locale: text('locale'),
    tags: text('tags', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** IANA zone of the buyer's own clock (shared/time/buyer-clock.ts); null: the shop's zone is used. */
    timezone: text('timezone'),
    /** Where `timezone` came from: `buyer` (explicit), `address` or `phone`. */
    timezoneSource: text('timezone_source'),
    /** Explicit consent to messages that need it: promotional ones, and service ones when the shop requires it. */
    marketingConsent: integer('marketing_consent', { mode: 'boolean' }).notNull().default(false),
    /** Channels the buyer opted out of (`sms`, `email`, ...). */
    optedOutChannels: text('opted_out_channels', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    blacklisted: integer('blacklisted', { mode: 'boolean' }).notNull().default(false),
    /** Event time of the contact details held, so older events never overwrite newer ones. */
    detailsAt: integer('details_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.id] })],
);

export type Customer = typeof customers.$inferSelect;
