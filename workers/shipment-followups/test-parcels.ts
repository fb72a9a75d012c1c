/** Test setup for the flow's tests: parcels and tracking events written as the intake writes them. */
import { env } from 'cloudflare:workers';
import { and, eq, sql } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { shipments, trackingEvents, type Shipment, type ShipmentStatus } from '../../shared/db/schema';
import { newId } from '../../shared/crypto/random';

export async function parcel(
  shopId: string,
  orderId: string,
  p: { carrier?: string; trackingNumber?: string; shippedAt?: number },
): Promise<Shipment> {
  const now = new Date();
  const [row] = await db(env.DB)
    .insert(shipments)
    .values({
      id: newId('shp'),
      shopId,
      orderId,
      carrier: p.carrier ?? '顺丰速运',
      trackingNumber: p.trackingNumber ?? `SF${crypto.randomUUID().slice(0, 8)}`,
      shippedAt: new Date(p.shippedAt ?? Date.now() - 6 * 3_600_000),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** A tracking event, and the parcel's status moved as the intake moves it (newest by event time). */
export async function track(
  s: Shipment,
  status: ShipmentStatus,
  at: number,
  extra: { location?: string; detail?: string; carrier?: string } = {},
) {
  const d = db(env.DB);
  await d.insert(trackingEvents).values({
    id: newId('trk'),
    shopId: s.shopId,
    shipmentId: s.id,
    orderId: s.orderId,
    status,
    occurredAt: new Date(at),
    location: extra.location ?? null,
    detail: extra.detail ?? null,
    createdAt: new Date(),
  });
  await d
    .update(shipments)
    .set({
      status: sql`CASE WHEN ${shipments.statusAt} IS NULL OR ${shipments.statusAt} < ${at} THEN ${status} ELSE ${shipments.status} END`,
      statusAt: sql`max(coalesce(${shipments.statusAt}, 0), ${at})`,
      lastMovementAt: sql`max(coalesce(${shipments.lastMovementAt}, 0), ${at})`,
      deliveredAt: status === 'delivered' ? new Date(at) : undefined,
    })
    .where(and(eq(shipments.shopId, s.shopId), eq(shipments.id, s.id)));
}
