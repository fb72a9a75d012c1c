/** The shop's parcel with a tracking number, through `shipments_number_idx`; the newest when carriers share a number. */
import { and, desc, eq } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import { shipments } from '../../../shared/db/schema';
import type { Parcel } from './tracking-map';

export async function parcelByNumber(
  env: { DB: D1Database },
  shopId: string,
  number: string,
): Promise<Parcel | undefined> {
  const [row] = await dbFor(env, shopId)
    .select({ orderId: shipments.orderId, carrier: shipments.carrier, trackingNumber: shipments.trackingNumber })
    .from(shipments)
    .where(and(eq(shipments.shopId, shopId), eq(shipments.trackingNumber, number)))
    .orderBy(desc(shipments.createdAt))
    .limit(1);
  return row;
}
