/**
 * The buyer's answers on the address-confirmation page: at most one
 * confirmation and one correction per order (the unique index makes a repeated
 * post a no-op). Shown on the order's timeline; a correction is also forwarded
 * to the shop as an `address_correction` message.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';
import type { ShippingAddress } from './orders';

export const addressResponseActions = ['confirmed', 'correction_requested'] as const;
export type AddressResponseAction = (typeof addressResponseActions)[number];

export const addressResponses = sqliteTable(
  'address_responses',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    orderId: text('order_id').notNull(),
    action: text('action', { enum: addressResponseActions }).notNull(),
    /** The buyer's free text for a correction; null for a confirmation. */
    correction: text('correction'),
    /** The address the buyer was looking at (the order's, as it stood then). */
    address: text('address', { mode: 'json' }).$type<ShippingAddress>(),
    /** The forwarded `address_correction` message, when one was planned. */
    messageId: text('message_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('address_responses_order_action_uq').on(t.shopId, t.orderId, t.action),
    index('address_responses_order_idx').on(t.shopId, t.orderId, t.createdAt),
  ],
);

export type AddressResponse = typeof addressResponses.$inferSelect;
