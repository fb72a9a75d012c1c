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
