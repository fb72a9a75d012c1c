/** Who changed what in a shop (templates, settings, keys, credentials), for review and rollback. */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { apiKeys } from '../shops/api-keys';
import { shops } from '../shops/shops';

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** Null when the operator token or the system acted. */
    actorKeyId: text('actor_key_id').references(() => apiKeys.id),
    /** Verb, e.g. `template.publish`, `shop.update`. */
    action: text('action').notNull(),
    /** Table or resource name, e.g. `template_versions`. */
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /** What changed, e.g. `{"quiet_hours": {"from": ..., "to": ...}}`; never secrets. */
    changes: text('changes', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('audit_log_shop_created_idx').on(t.shopId, t.createdAt)],
);

export type AuditLogEntry = typeof auditLog.$inferSelect;
