/** What a buyer did before at a shop: the "returning buyer" test the thank-you and staff texts share. */
import { and, eq, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, type Order } from '../db/schema';

/** True when the buyer paid an earlier order (paid before this one) at the same shop. */
export async function isReturningBuyer(db: Db, order: Pick<Order, 'shopId' | 'id' | 'buyerId' | 'paidAt'>) {
  if (!order.buyerId) return false;
  const earlier = await db
    .select({ one: sql`1` })
    .from(orders)
    .where(
      and(
        eq(orders.shopId, order.shopId),
        eq(orders.buyerId, order.buyerId),
        ne(orders.id, order.id),
        isNotNull(orders.paidAt),
        lt(orders.paidAt, order.paidAt ?? new Date()),
      ),
    )
    .limit(1);
  return earlier.length > 0;
}
