/**
 * The parcel facts an event carries, written in the intake's batch like the
 * order state: `order.shipped` creates the shipment (or fills its ship time),
 * `shipment.updated` creates it if unseen, appends a tracking event (stored
 * once: a repeated update changes nothing) and moves the status by event time,
 * never back out of `delivered` (shared/shipping/status.ts).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../../shared/db/client';
import { integrations, shipments, trackingEvents, trackingSubscriptions } from '../../../shared/db/schema';
import { kuaidi100Company } from '../../../shared/integrations/kuaidi100-companies';
import { newId } from '../../../shared/crypto/random';
import type { WebhookEventBody } from '../../../shared/events/webhook';
import { replacesStatusSql } from '../../../shared/shipping/status';

const newer = sql.raw(replacesStatusSql);

export function shipmentStatements(
  db: Db,
  shopId: string,
  eventId: string,
  event: WebhookEventBody,
  now: Date,
): BatchItem<'sqlite'>[] {
  const target = [shipments.shopId, shipments.carrier, shipments.trackingNumber];
  if (event.type === 'order.shipped') {
    const { order_id, carrier, tracking_number, shipped_at } = event.data;
    return [
      db
        .insert(shipments)
        .values({
          id: newId('shp'),
          shopId,
          orderId: order_id,
          carrier,
          trackingNumber: tracking_number,
          shippedAt: new Date(shipped_at),
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target,
          set: { shippedAt: sql`coalesce(${shipments.shippedAt}, excluded.shipped_at)`, updatedAt: now },
        }),
      subscribeTracking(db, shopId, carrier, tracking_number, now),
    ];
  }
  if (event.type !== 'shipment.updated') return [];
  const { order_id, carrier, tracking_number, status, occurred_at, location, detail } = event.data;
  const at = new Date(occurred_at);
  const shipmentId = sql`(SELECT id FROM shipments WHERE shop_id = ${shopId} AND carrier = ${carrier} AND tracking_number = ${tracking_number})`;
  return [
    db
      .insert(shipments)
      .values({
        id: newId('shp'),
        shopId,
        orderId: order_id,
        carrier,
        trackingNumber: tracking_number,
        status,
        statusAt: at,
        deliveredAt: status === 'delivered' ? at : null,
        lastMovementAt: at,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target,
        set: {
          status: sql`CASE WHEN ${newer} THEN excluded.status ELSE ${shipments.status} END`,
          statusAt: sql`CASE WHEN ${newer} THEN excluded.status_at ELSE ${shipments.statusAt} END`,
          deliveredAt: sql`coalesce(${shipments.deliveredAt}, excluded.delivered_at)`,
          lastMovementAt: sql`max(coalesce(${shipments.lastMovementAt}, 0), excluded.last_movement_at)`,
          updatedAt: now,
        },
      }),
    db
      .insert(trackingEvents)
      .values({
        id: newId('trk'),
        shopId,
        shipmentId: shipmentId as unknown as string,
        orderId: order_id,
        status,
        occurredAt: at,
        location: location ?? null,
        detail: detail ?? null,
        webhookEventId: eventId,
        createdAt: now,
      })
      .onConflictDoNothing(),
  ];
}

/**
 * For a shop with Kuaidi100 connected, the parcel's tracking subscription, owed at once (the
 * dispatcher's cron sends it, retried); a carrier Kuaidi100 has no code for is recorded as failed.
 * One statement, no read: the row exists only when the connection does.
 */
function subscribeTracking(db: Db, shopId: string, carrier: string, trackingNumber: string, now: Date) {
  const company = kuaidi100Company(carrier) ?? null;
  const value = <T>(v: T, column: string) => sql<T>`${v}`.as(column);
  return db
    .insert(trackingSubscriptions)
    .select(
      db
        .select({
          shopId: value(shopId, 'shop_id'),
          platform: value('kuaidi100', 'platform'),
          carrier: value(carrier, 'carrier'),
          trackingNumber: value(trackingNumber, 'tracking_number'),
          company: value(company, 'company'),
          status: value(company ? 'pending' : 'failed', 'status'),
          attempts: value(0, 'attempts'),
          dueAt: value(company ? now.getTime() : null, 'due_at'),
          lastError: value(company ? null : 'no Kuaidi100 company code for this carrier', 'last_error'),
          createdAt: value(now.getTime(), 'created_at'),
          updatedAt: value(now.getTime(), 'updated_at'),
        })
        .from(integrations)
        .where(and(eq(integrations.shopId, shopId), eq(integrations.platform, 'kuaidi100'))),
    )
    .onConflictDoNothing();
}
