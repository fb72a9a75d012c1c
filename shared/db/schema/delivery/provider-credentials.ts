/** Per-shop provider settings and secrets, stored only encrypted. */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';
import { channels } from './messages';

export const providerCredentials = sqliteTable(
  'provider_credentials',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    provider: text('provider').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    /** Distinguishes several accounts of one provider (e.g. two SMS signatures). */
    label: text('label').notNull().default('default'),
    /** The provider's settings JSON, sealed by shared/crypto/secret-box (AES-GCM under ENCRYPTION_KEY). */
    ciphertext: text('ciphertext').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('provider_credentials_shop_provider_label_uq').on(t.shopId, t.provider, t.label)],
);

export type ProviderCredential = typeof providerCredentials.$inferSelect;
