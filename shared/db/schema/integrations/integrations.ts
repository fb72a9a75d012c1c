/** A shop's platform connections (Shopify, Kuaidi100, AfterShip): credentials stored only sealed. */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const platforms = ['shopify', 'kuaidi100', 'aftership'] as const;
export type Platform = (typeof platforms)[number];

export const integrations = sqliteTable(
  'integrations',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    platform: text('platform', { enum: platforms }).notNull(),
    /** The credentials JSON, sealed by shared/crypto/secret-box (AES-GCM under ENCRYPTION_KEY). */
    ciphertext: text('ciphertext').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.platform] })],
);

export type Integration = typeof integrations.$inferSelect;
