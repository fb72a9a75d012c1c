/** The one read every flow's trigger starts with: the order and its shop, by key. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, shops } from '../db/schema';

export function orderAndShop(db: Db, shopId: string, orderId: string) {
  return Promise.all([
    db.query.orders.findFirst({ where: and(eq(orders.shopId, shopId), eq(orders.id, orderId)) }),
    db.query.shops.findFirst({ where: eq(shops.id, shopId) }),
  ]);
}
