/** Orders: the state machine fed by webhooks. The flows' due work lives in flow_timers. */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

export const orderStates = ['created', 'paid', 'shipped', 'completed', 'cancelled', 'refunded'] as const;
export type OrderState = (typeof orderStates)[number];

export type OrderItem = { sku?: string; title: string; quantity: number; unit_price: string };
export type ShippingAddress = {
  name: string;
  phone?: string;
  country: string;
  province?: string;
  city?: string;
  district?: string;
  line1: string;
  postal_code?: string;
};

export const orders = sqliteTable(
  'orders',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** The shop's order id. */
    id: text('id').notNull(),
    buyerId: text('buyer_id'),
    state: text('state', { enum: orderStates }).notNull(),
    /** Position of `state` in the one-way order of states; see shared/orders/state-machine. */
    stateRank: integer('state_rank').notNull(),
    /** Event time of the event that set `state`. */
    stateAt: integer('state_at', { mode: 'timestamp_ms' }).notNull(),
    /** Intake event (webhook_events.id) that set `state`. */
    stateEventId: text('state_event_id').notNull(),
    currency: text('currency'),
    /** Decimal string as sent by the shop, e.g. "258.00". */
    total: text('total'),
    items: text('items', { mode: 'json' }).$type<OrderItem[]>(),
    shippingAddress: text('shipping_address', { mode: 'json' }).$type<ShippingAddress>(),
    /** Event time of the order details held (items, buyer, address). */
    detailsAt: integer('details_at', { mode: 'timestamp_ms' }),
    placedAt: integer('placed_at', { mode: 'timestamp_ms' }),
    autoCloseAt: integer('auto_close_at', { mode: 'timestamp_ms' }),
    /** The shop's payment link for this order, when it sent one. */
    payUrl: text('pay_url'),
    paidAt: integer('paid_at', { mode: 'timestamp_ms' }),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    cancelReason: text('cancel_reason'),
    shippedAt: integer('shipped_at', { mode: 'timestamp_ms' }),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
    refundedAt: integer('refunded_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.id] }), index('orders_buyer_idx').on(t.shopId, t.buyerId)],
);

export type Order = typeof orders.$inferSelect;
