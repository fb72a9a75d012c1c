/**
 * The review request's holds and releases, for the order timeline: a request (or its reminder)
 * that came due while a problem was open is held with the reason, and released when the last
 * problem ended. Written by the review-requests flow, read by `GET /v1/orders/{id}`.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

/** Why a review request waits: an open complaint/return/refund case, a refund, a delivery exception. */
export const holdReasons = ['held_open_case', 'held_refund', 'held_exception'] as const;
export type HoldReason = (typeof holdReasons)[number];
export const holdActions = ['held', 'released'] as const;
export const holdSteps = ['request', 'reminder'] as const;
export type HoldStep = (typeof holdSteps)[number];

export const reviewHolds = sqliteTable(
  'review_holds',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    step: text('step', { enum: holdSteps }).notNull(),
    action: text('action', { enum: holdActions }).notNull(),
    /** The hold's reason; on a release, the reason that ended. */
    reason: text('reason', { enum: holdReasons }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('review_holds_order_idx').on(t.shopId, t.orderId, t.createdAt)],
);

export type ReviewHold = typeof reviewHolds.$inferSelect;
