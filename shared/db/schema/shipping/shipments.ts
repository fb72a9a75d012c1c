/**
 * Parcels of an order, one per carrier and tracking number, with the times the follow-ups need.
 * The intake records them (a fact, like the order state); the shipment-followups flow decides.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';

/** The `shipment.updated` status set of the webhook contract. */
export const shipmentStatuses = [
  'info_received',
  'in_transit',
  'arrived_in_city',
  'out_for_delivery',
  'attempt_failed',
  'available_for_pickup',
  'delivered',
  'exception',
  'returned',
] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];

export const shipments = sqliteTable(
  'shipments',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** The shop's order id (orders.id within the shop). */
    orderId: text('order_id').notNull(),
    id: text('id').primaryKey(),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    /** Latest status by event time; null until the first tracking update. */
    status: text('status', { enum: shipmentStatuses }),
    /** Event time of the update that set `status`. */
    statusAt: integer('status_at', { mode: 'timestamp_ms' }),
    shippedAt: integer('shipped_at', { mode: 'timestamp_ms' }),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    /** Event time of the latest tracking update of any status. */
    lastMovementAt: integer('last_movement_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('shipments_tracking_uq').on(t.shopId, t.carrier, t.trackingNumber),
    index('shipments_order_idx').on(t.shopId, t.orderId),
    // Tracking pushes (Kuaidi100, AfterShip) name the parcel by its number alone.
    index('shipments_number_idx').on(t.shopId, t.trackingNumber),
    // The operations list: by status, newest first.
    index('shipments_shop_status_idx').on(t.shopId, t.status, t.createdAt, t.id),
  ],
);

export type Shipment = typeof shipments.$inferSelect;
