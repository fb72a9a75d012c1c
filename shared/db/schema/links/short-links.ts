/**
 * Short links in SMS texts: `${PUBLIC_URL}/s/<code>` redirects to `destination` until `expires_at`.
 * Written in the same D1 batch as the message whose text carries it, so the stored text is final and
 * no link exists without its message. Clicks are counted on the row, per message, for the metrics.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const shortLinks = sqliteTable(
  'short_links',
  {
    /** 8 random base62 characters: the whole path after `/s/`. */
    code: text('code').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** The message planned with this text (for a fallback channel's text: the message it falls back from). */
    messageId: text('message_id').notNull(),
    kind: text('kind').notNull(),
    /** The template variant of the text that carries the link. */
    variant: text('variant').notNull(),
    destination: text('destination').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    clicks: integer('clicks').notNull().default(0),
    firstClickAt: integer('first_click_at', { mode: 'timestamp_ms' }),
    lastClickAt: integer('last_click_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('short_links_message_idx').on(t.shopId, t.messageId),
    index('short_links_created_idx').on(t.shopId, t.createdAt),
  ],
);

export type ShortLink = typeof shortLinks.$inferSelect;
export type ShortLinkRow = typeof shortLinks.$inferInsert;
