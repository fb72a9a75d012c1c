/**
 * The send-time check for parcel notices, beside the order-state check: a
 * notice whose parcel moved on before it went out is skipped with reason
 * `superseded` (an out-for-delivery notice still queued when the parcel is
 * delivered; an apology or stall note once the parcel is delivered or moved).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { preparedItem } from '../db/prepared-item';
import { first } from '../db/reads';
import { shipments, type Message, type ShipmentStatus } from '../db/schema';
import { overtaken } from './status';

/**
 * The status each parcel notice speaks about, for `overtaken`: the `shipped` notice is overtaken
 * only by the end of the journey, an apology or stall note only by delivery.
 */
const noticeStatus: Record<string, ShipmentStatus> = {
  shipped: 'out_for_delivery',
  arrived_in_city: 'arrived_in_city',
  out_for_delivery: 'out_for_delivery',
  delivery_exception: 'returned',
  shipment_stalled: 'returned',
};

type NoticeData = { shipment?: { id?: string }; stall?: { last_movement_at?: number } };

/** Built once per drizzle client (../db/prepared-item.ts): the dispatcher asks at every parcel notice's send. */
const parcelRead = preparedItem<{ shopId: string; id: string }>((db) =>
  db
    .select({ status: shipments.status, lastMovementAt: shipments.lastMovementAt })
    .from(shipments)
    .where(and(eq(shipments.shopId, sql.placeholder('shopId')), eq(shipments.id, sql.placeholder('id'))))
    .limit(1),
);

/** A parcel as the send-time check reads it; null when the message names no parcel or its row is gone. */
export type ParcelState = { status: ShipmentStatus; lastMovementAt: Date | null };

/** The shipment id a parcel notice speaks about, or undefined for other kinds and notices without one. */
function noticeParcelId(m: Pick<Message, 'kind' | 'data'>): string | undefined {
  if (!Object.hasOwn(noticeStatus, m.kind)) return undefined;
  return ((m.data ?? {}) as NoticeData).shipment?.id || undefined;
}

/**
 * Whether a parcel notice was overtaken by its parcel. `known` is the parcel as read with the claim
 * (workers/dispatcher/claim.ts); without it the parcel is read here.
 */
export async function parcelMovedOn(db: Db, m: Message, known?: ParcelState | null): Promise<boolean> {
  const id = noticeParcelId(m);
  if (!id) return false;
  const parcel = known !== undefined ? known : await first<ParcelState>(parcelRead(db, { shopId: m.shopId, id }));
  if (!parcel) return false;
  if (overtaken(noticeStatus[m.kind]!, parcel.status)) return true;
  // A stall note is untrue once the parcel moved again.
  const stalledAt = ((m.data ?? {}) as NoticeData).stall?.last_movement_at;
  return stalledAt !== undefined && (parcel.lastMovementAt?.getTime() ?? 0) > stalledAt;
}
