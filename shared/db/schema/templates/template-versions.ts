/** Numbered versions of a template (draft, published, archived); each version holds its variants too. */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { apiKeys } from '../shops/api-keys';
import { shops } from '../shops/shops';
import type { TemplateDocument } from '../../../templates/document';
import { templates } from './templates';

export { personas, type Persona, type TemplateDocument, type TemplateVariant } from '../../../templates/document';
export type { ChannelContent, TemplateContent } from '../../../channels/channel';

export const templateVersionStatuses = ['draft', 'published', 'archived'] as const;
export type TemplateVersionStatus = (typeof templateVersionStatuses)[number];

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
    content: text('content', { mode: 'json' }).$type<TemplateDocument>().notNull(),
    /** Null when created by the system (seeded defaults) or the operator. */
    createdByKeyId: text('created_by_key_id').references(() => apiKeys.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('template_versions_version_uq').on(t.templateId, t.version)],
);

export type TemplateVersion = typeof templateVersions.$inferSelect;
