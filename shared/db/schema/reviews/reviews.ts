/** Buyer reviews from `review.created`, at most one per order (a newer event replaces it). */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

/**
 * The staff alert of a negative review: `none` (not negative, or not yet decided), `pending` (waiting
 * to be grouped with others that came in within minutes), `sent` (planned, alone or in a group).
 */
export const reviewAlertStates = ['none', 'pending', 'sent'] as const;

export const reviews = sqliteTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    /** 1-5; at or below the shop's threshold (default 3) alerts staff. */
    rating: integer('rating').notNull(),
    content: text('content'),
    /** When the buyer wrote the review (the event's `created_at`). */
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    alert: text('alert', { enum: reviewAlertStates }).notNull().default('none'),
  },
  (t) => [
    uniqueIndex('reviews_order_uq').on(t.shopId, t.orderId),
    // The grouped alert reads only the shop's waiting alerts.
    index('reviews_alert_pending_idx')
      .on(t.shopId, t.receivedAt)
      .where(sql`alert = 'pending'`),
  ],
);

export type Review = typeof reviews.$inferSelect;
