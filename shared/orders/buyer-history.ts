/**
 * Who the buyer is to the shop, for variant choice: the one rule for "returning buyer" and the
 * persona tag, used alike by planning, preview and fallback so a preview picks the variant the
 * real send picks.
 */
import { and, eq, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
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
  const placed = order.placedAt ?? order.createdAt ?? Date.now();
  const earlier = await db
    .select({ one: sql`1` })
    .from(orders)
    .where(
      and(
        eq(orders.shopId, order.shopId),
        eq(orders.buyerId, order.buyerId),
        ne(orders.id, order.id),
        isNotNull(orders.paidAt),
        lt(orders.paidAt, new Date(placed)),
      ),
    )
    .limit(1);
  return earlier.length > 0;
}

/** The audience variants are chosen for: returning or new, and the persona. */
export async function audienceOf(db: Db, order: OrderRef, customer: Customer | null | undefined): Promise<Audience> {
  return { returning: await isReturningBuyer(db, order), persona: personaOf(customer) };
}

/** A buyer's paid history at the shop, read for many buyers at once by `paidHistories`. */
export type PaidHistory = { firstPaidAt: number; lastPaidAt: number };

/**
 * The paid history of many buyers of one shop in one query (by `orders_buyer_idx`): a batch pass
 * reads it once instead of asking `isReturningBuyer` per order. Buyers with no paid order have no
 * entry. The ids travel as one JSON parameter, so any number fits D1's bound-parameter limit.
 */
export async function paidHistories(db: Db, shopId: string, buyerIds: string[]): Promise<Map<string, PaidHistory>> {
  if (buyerIds.length === 0) return new Map();
  const rows = await db
    .select({
      buyerId: orders.buyerId,
      first: sql<number>`min(${orders.paidAt})`,
      last: sql<number>`max(${orders.paidAt})`,
    })
    .from(orders)
    .where(
      and(
        eq(orders.shopId, shopId),
        sql`${orders.buyerId} IN (SELECT value FROM json_each(${JSON.stringify(buyerIds)}))`,
        isNotNull(orders.paidAt),
      ),
    )
    .groupBy(orders.buyerId);
  return new Map(rows.map((r) => [r.buyerId!, { firstPaidAt: r.first, lastPaidAt: r.last }]));
}

/**
 * `isReturningBuyer`'s rule on a history read by `paidHistories`, for an order that is itself unpaid
 * (so its own payment cannot be the earlier one): some other order was paid before it was placed.
 */
export function returningFrom(history: PaidHistory | undefined, order: OrderRef): boolean {
  if (!history) return false;
  const placed = new Date(order.placedAt ?? order.createdAt ?? Date.now()).getTime();
  return history.firstPaidAt < placed;
}
