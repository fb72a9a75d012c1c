/** Numbered versions of a template (draft, published, archived); each version holds its variants too. */
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

export const personas = ['tiger', 'peacock', 'koala', 'owl'] as const;
export type Persona = (typeof personas)[number];

/** An A/B variant (no audience) or an audience variant (new/returning buyer, persona tag). */
export type TemplateVariant<P = TemplateContent> = {
  key: string;
  audience?: { buyer?: 'new' | 'returning'; persona?: Persona };
  weight?: number;
  parts: P;
};

/** What one version stores: the base parts, the base's A/B weight, and its variants. */
export type TemplateDocument<P = TemplateContent> = { parts: P; weight?: number; variants?: TemplateVariant<P>[] };

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
