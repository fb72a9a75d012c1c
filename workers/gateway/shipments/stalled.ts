/**
 * Parcels read with raw SQL for the API: the row shape, and which parcels are stalled now (a stall
 * alert was planned for the parcel and it has not moved since; the alert's data records the
 * movement it measured from).
 */
import { sql } from 'drizzle-orm';
import type { Shipment } from '../../../shared/db/schema';

/** SQL over `shipments` (aliased `s`): true while the parcel's stall alert still stands. */
export const stalledSql = sql`EXISTS (
  SELECT 1 FROM messages m
  WHERE m.shop_id = s.shop_id AND m.order_id = s.order_id AND m.kind = 'shipment_stalled_alert'
    AND json_extract(m.data, '$.shipment.id') = s.id
    AND coalesce(s.last_movement_at, 0) <= json_extract(m.data, '$.stall.last_movement_at'))`;

export type ShipmentRow = {
  id: string;
  shop_id: string;
  order_id: string;
  carrier: string;
  tracking_number: string;
  status: Shipment['status'];
  status_at: number | null;
  shipped_at: number | null;
  delivered_at: number | null;
  last_movement_at: number | null;
  created_at: number;
  updated_at: number;
  stalled: number;
};

const date = (ms: number | null) => (ms === null ? null : new Date(ms));
export const toShipment = (r: ShipmentRow): Shipment => ({
  id: r.id,
  shopId: r.shop_id,
  orderId: r.order_id,
  carrier: r.carrier,
  trackingNumber: r.tracking_number,
  status: r.status,
  statusAt: date(r.status_at),
  shippedAt: date(r.shipped_at),
  deliveredAt: date(r.delivered_at),
  lastMovementAt: date(r.last_movement_at),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});
