/** Tracking history of a shipment: one row per status update received. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { shops } from '../shops/shops';
import { shipments, shipmentStatuses } from './shipments';

export const trackingEvents = sqliteTable(
  'tracking_events',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    orderId: text('order_id').notNull(),
    status: text('status', { enum: shipmentStatuses }).notNull(),
    /** When it happened at the carrier (the event's `occurred_at`). */
    occurredAt: integer('occurred_at', { mode: 'timestamp_ms' }).notNull(),
    location: text('location'),
    detail: text('detail'),
    /** Intake event (webhook_events.id) that carried the update. */
    webhookEventId: text('webhook_event_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    // Unique so a redelivered or re-pushed update is stored once; also serves the timeline read.
    uniqueIndex('tracking_events_shipment_uq').on(t.shopId, t.shipmentId, t.occurredAt, t.status),
    // The stall thresholds learn from the shop's recent history.
    index('tracking_events_shop_time_idx').on(t.shopId, t.occurredAt),
  ],
);

export type TrackingEvent = typeof trackingEvents.$inferSelect;
