/** Numbered versions of a template (draft, published, archived), with optional A/B or audience variants. */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { apiKeys } from '../shops/api-keys';
import { shops } from '../shops/shops';
import type { Channel } from '../delivery/messages';
import { templates } from './templates';

export const templateVersionStatuses = ['draft', 'published', 'archived'] as const;
export type TemplateVersionStatus = (typeof templateVersionStatuses)[number];

/** The Liquid source of each part, per channel; messages.rendered holds the same shape rendered. */
export type ChannelContent = {
  sms: { body: string };
  email: { subject: string; html: string; text: string };
  chat: { markdown: string };
  webhook: { payload: string };
};
export type TemplateContent = ChannelContent[Channel];

export const templateVersions = sqliteTable(
  'template_versions',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    templateId: text('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    status: text('status', { enum: templateVersionStatuses }).notNull().default('draft'),
    content: text('content', { mode: 'json' }).$type<TemplateContent>().notNull(),
    /**
     * A/B or audience variant key (e.g. `B`, `returning`, `tag:owl`); '' for the base text
     * (not null: SQLite treats NULLs as distinct, so the unique key would not hold).
     */
    variant: text('variant').notNull().default(''),
    /** Relative share among the published variants of one audience. */
    weight: integer('weight').notNull().default(100),
    /** Null when created by the system (seeded defaults) or the operator. */
    createdByKeyId: text('created_by_key_id').references(() => apiKeys.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('template_versions_version_uq').on(t.templateId, t.version, t.variant)],
);

export type TemplateVersion = typeof templateVersions.$inferSelect;
