/** Test setup for the flow's tests: parcels, cases and reviews written as the intake records them. */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { db } from '../../shared/db/client';
import { cases, messages, reviews, shipments, trackingEvents, type ShipmentStatus } from '../../shared/db/schema';
import { newId } from '../../shared/crypto/random';

/** A parcel of the order with one tracking event of `status` at `at` (delivered sets `delivered_at`). */
export async function parcel(shopId: string, orderId: string, status: ShipmentStatus, at: number) {
  const id = newId('shp');
  const time = new Date(at);
  await db(env.DB)
    .insert(shipments)
    .values({
      id,
      shopId,
      orderId,
      carrier: '顺丰速运',
      trackingNumber: `SF${crypto.randomUUID().slice(0, 8)}`,
      status,
      statusAt: time,
      deliveredAt: status === 'delivered' ? time : null,
      lastMovementAt: time,
      shippedAt: new Date(at - 86_400_000),
      createdAt: time,
      updatedAt: time,
    });
  await track(shopId, orderId, id, status, at);
  return id;
}

/** A later tracking event of the parcel. */
export async function track(shopId: string, orderId: string, shipmentId: string, status: ShipmentStatus, at: number) {
  const d = db(env.DB);
  await d.insert(trackingEvents).values({
    id: newId('trk'),
    shopId,
    shipmentId,
    orderId,
    status,
    occurredAt: new Date(at),
    createdAt: new Date(at),
  });
  await d
    .update(shipments)
    .set({ status, statusAt: new Date(at), ...(status === 'delivered' ? { deliveredAt: new Date(at) } : {}) })
    .where(and(eq(shipments.shopId, shopId), eq(shipments.id, shipmentId)));
}

export async function openCase(shopId: string, orderId: string, caseId: string, at: number) {
  const time = new Date(at);
  await db(env.DB)
    .insert(cases)
    .values({ shopId, orderId, id: caseId, kind: 'complaint', openedAt: time, createdAt: time, updatedAt: time });
}

export async function closeCase(shopId: string, orderId: string, caseId: string, at: number) {
  await db(env.DB)
    .update(cases)
    .set({ closedAt: new Date(at), updatedAt: new Date(at) })
    .where(and(eq(cases.shopId, shopId), eq(cases.orderId, orderId), eq(cases.id, caseId)));
}

export async function review(shopId: string, orderId: string, rating: number, content: string | null, at: number) {
  const time = new Date(at);
  await db(env.DB)
    .insert(reviews)
    .values({ id: newId('rev'), shopId, orderId, rating, content, createdAt: time, receivedAt: time });
}

/** The dispatcher's part, done by hand: the message went out at `at`. */
export async function markSent(messageId: string, at: number) {
  await db(env.DB)
    .update(messages)
    .set({ status: 'sent', sentAt: new Date(at) })
    .where(eq(messages.id, messageId));
}
