/** An order's parcels with their tracking events, for the order view. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { trackingEvents } from '../../../shared/db/schema';
import { shipmentView } from './schemas';
import { stalledSql, toShipment, type ShipmentRow } from './stalled';

export async function orderShipments(d: Db, shopId: string, orderId: string) {
  const rows = await d.all<ShipmentRow>(
    sql`SELECT s.*, ${stalledSql} AS stalled FROM shipments s
      WHERE s.shop_id = ${shopId} AND s.order_id = ${orderId} ORDER BY s.created_at, s.id LIMIT 50`,
  );
  if (rows.length === 0) return [];
  const events = await d.query.trackingEvents.findMany({
    where: and(
      eq(trackingEvents.shopId, shopId),
      inArray(
        trackingEvents.shipmentId,
        rows.map((r) => r.id),
      ),
    ),
    orderBy: [asc(trackingEvents.occurredAt)],
  });
  return rows.map((r) =>
    shipmentView(
      toShipment(r),
      r.stalled === 1,
      events.filter((e) => e.shipmentId === r.id),
    ),
  );
}
