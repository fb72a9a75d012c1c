/** The one read every flow's trigger starts with: the order and its shop, by key (../db/reads.ts). */
import type { Db } from '../db/client';
import { orderByKey, shopById } from '../db/reads';

export function orderAndShop(db: Db, shopId: string, orderId: string) {
  return Promise.all([orderByKey(db, shopId, orderId), shopById(db, shopId)]);
}
