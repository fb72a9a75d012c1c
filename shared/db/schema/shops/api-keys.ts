/** Shop API keys: only the SHA-256 digest is stored, never the key itself. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from './shops';

export const apiKeyScopes = ['admin', 'templates', 'read'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    name: text('name').notNull(),
    /** The first characters of the key (e.g. `obk_live_AbCd`), safe to show and log. */
    prefix: text('prefix').notNull(),
    /** Hex SHA-256 of the whole key. */
    digest: text('digest').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<ApiKeyScope[]>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('api_keys_digest_uq').on(t.digest), index('api_keys_shop_idx').on(t.shopId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
