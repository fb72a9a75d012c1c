/** A shop's message template for one kind, channel and locale; its text lives in template_versions. */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { channels } from '../../../channels/channel';
import { shops } from '../shops/shops';

export const templates = sqliteTable(
  'templates',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** Message kind, e.g. `unpaid_reminder`; its variable catalogue drives validation. */
    kind: text('kind').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    /** BCP 47, e.g. zh-CN. */
    locale: text('locale').notNull(),
    /** The live version (template_versions.id); null means the built-in default is used. */
    publishedVersionId: text('published_version_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('templates_key_uq').on(t.shopId, t.kind, t.channel, t.locale)],
);

export type Template = typeof templates.$inferSelect;
