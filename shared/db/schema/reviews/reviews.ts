/** Buyer reviews from `review.created`, at most one per order. */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const reviews = sqliteTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    /** 1-5; 3 or lower alerts staff. */
    rating: integer('rating').notNull(),
    content: text('content'),
    /** When the buyer wrote the review (the event's `created_at`). */
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('reviews_order_uq').on(t.shopId, t.orderId)],
);

export type Review = typeof reviews.$inferSelect;
