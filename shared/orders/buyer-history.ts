/**
 * Who the buyer is to the shop, for variant choice: the one rule for "returning buyer" and the
 * persona tag, used alike by planning, preview and fallback so a preview picks the variant the
 * real send picks.
 */
import { and, eq, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { keysWhere, merged } from '../db/merged';
import { preparedItem } from '../db/prepared-item';
import { rowsOf } from '../db/reads';
import { orders, personas, type Customer, type Order, type Persona } from '../db/schema';
import type { Audience } from '../templates/variants';

type OrderRef = Pick<Order, 'shopId' | 'id' | 'buyerId'> & {
  placedAt: Date | number | null;
  createdAt?: Date | number;
};

/** The buyer's persona tag (tiger, peacock, koala, owl), if the shop tagged one. */
export const personaOf = (customer: Pick<Customer, 'tags'> | null | undefined): Persona | null =>
  personas.find((p) => customer?.tags.includes(p)) ?? null;

/**
 * True when the buyer had paid another order at the shop before this one was placed. Fixed for
 * the order's life: it does not change between the reminder, the thank-you and a later preview.
 */
export async function isReturningBuyer(db: Db, order: OrderRef): Promise<boolean> {
  if (!order.buyerId) return false;
  const placed = new Date(order.placedAt ?? order.createdAt ?? Date.now()).getTime();
  return paidBefore(db, { shopId: order.shopId, buyerId: order.buyerId, orderId: order.id, placed });
}

type HistoryKey = { shopId: string; buyerId: string; orderId: string; placed: number };

/** Built once per drizzle client (../db/prepared-item.ts); `placed` is epoch ms, as `paid_at` is stored. */
const earlierPaidRead = preparedItem<HistoryKey>((db) =>
  db
    .select({ one: sql`1` })
    .from(orders)
    .where(
      and(
        eq(orders.shopId, sql.placeholder('shopId')),
        eq(orders.buyerId, sql.placeholder('buyerId')),
        ne(orders.id, sql.placeholder('orderId')),
        isNotNull(orders.paidAt),
        lt(orders.paidAt, sql.placeholder('placed')),
      ),
    )
    .limit(1),
);

/** The same rule for many orders in one statement: the positions of the keys whose buyer paid earlier. */
const EARLIER_PAID_MANY = `SELECT k.key AS i FROM json_each(?1) AS k WHERE EXISTS (
  SELECT 1 FROM orders AS o WHERE o.shop_id = k.value ->> 0 AND o.buyer_id = k.value ->> 1
    AND o.id <> k.value ->> 2 AND o.paid_at IS NOT NULL AND o.paid_at < k.value ->> 3)`;

/** The jobs of one queue batch ask in one statement (../db/merged.ts). */
const paidBefore = merged<HistoryKey, boolean>({
  name: 'paid-before',
  one: async (db, key) => (await rowsOf(earlierPaidRead(db, key))).length > 0,
  many: async (db, keys) => {
    const json = JSON.stringify(keys.map((k) => [k.shopId, k.buyerId, k.orderId, k.placed]));
    return keysWhere(db, EARLIER_PAID_MANY, json, keys.length);
  },
});

/** The audience variants are chosen for: returning or new, and the persona. */
export async function audienceOf(db: Db, order: OrderRef, customer: Customer | null | undefined): Promise<Audience> {
  return { returning: await isReturningBuyer(db, order), persona: personaOf(customer) };
}

/** A buyer's paid history at the shop, read for many buyers at once by `paidHistoriesSql`. */
export type PaidHistory = { firstPaidAt: number; lastPaidAt: number };

/**
 * The paid history of many (shop, buyer) pairs in one raw statement, for a batch pass that reads it
 * once instead of asking `isReturningBuyer` per order: `buyers` is a subquery selecting
 * `shop_id, buyer_id`; each pair's paid orders are found by `orders_buyer_idx`. Buyers with no paid
 * order have no row. Read the rows with `historiesFrom`.
 */
export const paidHistoriesSql = (buyers: string) =>
  `SELECT b.shop_id, b.buyer_id, min(h.paid_at) AS first, max(h.paid_at) AS last
   FROM (${buyers}) AS b JOIN orders AS h INDEXED BY orders_buyer_idx
     ON h.shop_id = b.shop_id AND h.buyer_id = b.buyer_id
   WHERE h.paid_at IS NOT NULL GROUP BY b.shop_id, b.buyer_id`;

/** The rows of `paidHistoriesSql`, by shop and then buyer. */
export function historiesFrom(
  rows: { shop_id: string; buyer_id: string; first: number; last: number }[],
): Map<string, Map<string, PaidHistory>> {
  const byShop = new Map<string, Map<string, PaidHistory>>();
  for (const r of rows) {
    let shop = byShop.get(r.shop_id);
    if (!shop) byShop.set(r.shop_id, (shop = new Map()));
    shop.set(r.buyer_id, { firstPaidAt: r.first, lastPaidAt: r.last });
  }
  return byShop;
}

/**
 * `isReturningBuyer`'s rule on a history read by `paidHistoriesSql`, for an order that is itself unpaid
 * (so its own payment cannot be the earlier one): some other order was paid before it was placed.
 */
export function returningFrom(history: PaidHistory | undefined, order: OrderRef): boolean {
  if (!history) return false;
  const placed = new Date(order.placedAt ?? order.createdAt ?? Date.now()).getTime();
  return history.firstPaidAt < placed;
}
