/**
 * Recording the buyer's answer on the order's timeline (`address_responses`)
 * and forwarding a correction to the shop. A correction is one D1 batch: the
 * response row (a plain INSERT: a second correction violates the unique index
 * and rolls the whole batch back) and the `address_correction` message, which
 * the dispatcher posts to the shop's signed webhook with retries.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import {
  addressResponses,
  customers,
  orders,
  shops,
  type AddressResponse,
  type Customer,
  type Order,
  type Shop,
} from '../../../shared/db/schema';
import { newId } from '../../../shared/crypto/random';
import { enqueuePrepared, prepareMessage, type DispatchJob } from '../../../shared/delivery/plan';
import { shortLinkInserts } from '../../../shared/links/shorten';
import { isReturningBuyer } from '../../../shared/orders/buyer-history';
import { orderData } from '../../../shared/templates/order-data';
import { addressLine } from '../../../shared/text/mask';

export type AddressContext = { shop: Shop; order: Order; customer: Customer | null; responses: AddressResponse[] };

/** Staff texts have no per-shop language yet; a shop publishes its own template in any locale. */
const STAFF_LOCALE = 'zh-CN';
const ADDRESS_KEYS = ['name', 'phone', 'country', 'province', 'city', 'district', 'line1', 'postal_code'] as const;

export async function loadContext(db: Db, shopId: string, orderId: string): Promise<AddressContext | null> {
  const [shop, order, responses] = await Promise.all([
    db.query.shops.findFirst({ where: eq(shops.id, shopId) }),
    db.query.orders.findFirst({ where: and(eq(orders.shopId, shopId), eq(orders.id, orderId)) }),
    db.query.addressResponses.findMany({
      where: and(eq(addressResponses.shopId, shopId), eq(addressResponses.orderId, orderId)),
      orderBy: [asc(addressResponses.createdAt)],
    }),
  ]);
  if (!shop || !order) return null;
  const customer = order.buyerId
    ? ((await db.query.customers.findFirst({
        where: and(eq(customers.shopId, shopId), eq(customers.id, order.buyerId)),
      })) ?? null)
    : null;
  return { shop, order, customer, responses };
}

const responseRow = (ctx: AddressContext, now: Date) => ({
  id: newId('adr'),
  shopId: ctx.shop.id,
  orderId: ctx.order.id,
  address: ctx.order.shippingAddress,
  createdAt: now,
});

/** Records "looks right"; a repeat is a no-op. */
export async function recordConfirmation(db: Db, ctx: AddressContext, now = new Date()) {
  await db
    .insert(addressResponses)
    .values({ ...responseRow(ctx, now), action: 'confirmed' })
    .onConflictDoNothing();
}

function isDuplicate(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : error);
  return text.includes('UNIQUE constraint failed') && text.includes('address_responses');
}

/** The `address_correction` message's data: the correction, the order and its address in full (staff only). */
async function correctionData(db: Db, ctx: AddressContext, text: string, now: Date) {
  const returning = await isReturningBuyer(db, ctx.order);
  const common = orderData({ shop: ctx.shop, order: ctx.order, buyer: ctx.customer, returning, locale: STAFF_LOCALE });
  const a = ctx.order.shippingAddress;
  const address = Object.fromEntries(ADDRESS_KEYS.map((key) => [key, a?.[key] ?? null]));
  const data = {
    ...common,
    correction: { text, requested_at: now.toISOString() },
    address: { ...address, summary: addressLine(a, STAFF_LOCALE) },
  };
  return { data, audience: { returning, persona: null } };
}

/** Records the correction and plans its forward to the shop; `duplicate` when the order already has one. */
export async function recordCorrection(
  db: Db,
  queue: Queue<DispatchJob> | undefined,
  ctx: AddressContext,
  text: string,
  publicUrl: string,
  now = new Date(),
): Promise<'recorded' | 'duplicate'> {
  const { data, audience } = await correctionData(db, ctx, text, now);
  const prepared = await prepareMessage(
    db,
    {
      shop: ctx.shop,
      orderId: ctx.order.id,
      customer: ctx.customer,
      kind: 'address_correction',
      locale: STAFF_LOCALE,
      data,
      audience,
      publicUrl,
    },
    now,
  );
  let inserted: { id: string }[];
  try {
    [, inserted] = await db.batch([
      db.insert(addressResponses).values({
        ...responseRow(ctx, now),
        action: 'correction_requested',
        correction: text,
        messageId: prepared.row.id,
      }),
      prepared.insert,
      ...shortLinkInserts(db, prepared.shortLinks),
    ]);
  } catch (error) {
    if (isDuplicate(error)) return 'duplicate';
    throw error;
  }
  await enqueuePrepared(queue, prepared, inserted, now);
  return 'recorded';
}
