/**
 * What every decision of the review flow reads about one order: the shop and its review settings,
 * the order and buyer, when the request's clock starts (the last parcel delivered or the order
 * completed, whichever came first), what holds it (an open case, a refund, a delivery exception
 * never followed by delivery), the buyer's review and the request already planned. The triggers of
 * one queue batch read each of these for all their orders in one statement (shared/db/merged.ts).
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { keysWhere, merged, newestPerPair, pairs, pairsIn } from '../../shared/db/merged';
import { preparedItem } from '../../shared/db/prepared-item';
import { customerByKey, first, parcelsOfOrder, rowPerPair, slot } from '../../shared/db/reads';
import { orderAndShop } from '../../shared/orders/load';
import {
  cases,
  messages,
  reviewHolds,
  reviews,
  trackingEvents,
  type Case,
  type Customer,
  type HoldReason,
  type Message,
  type Order,
  type Review,
  type ReviewHold,
  type Shipment,
  type Shop,
} from '../../shared/db/schema';
import { audienceOf } from '../../shared/orders/buyer-history';
import { reviewSettings, reviewUrl, type ReviewSettings } from '../../shared/reviews/settings';
import { exceptionStatuses } from '../../shared/shipping/status';
import { orderData } from '../../shared/templates/order-data';
import type { Audience } from '../../shared/templates/variants';

const DAY = 86_400_000;

export type ReviewContext = {
  shop: Shop;
  settings: ReviewSettings;
  order: Order;
  customer: Customer | null;
  locale: string;
  audience: Audience;
  /** Delivered (last parcel) or completed, whichever came first; null while neither. */
  anchor: Date | null;
  hold: HoldReason | null;
  review: Review | undefined;
  /** The order's review request, once planned. */
  request: Message | undefined;
};

type OrderKey = { shopId: string; orderId: string };
// The order's own review reads, built once per drizzle client (shared/db/prepared-item.ts).
const openCaseRead = preparedItem<OrderKey>((db) =>
  db
    .select()
    .from(cases)
    .where(and(eq(cases.shopId, slot('shopId')), eq(cases.orderId, slot('orderId')), isNull(cases.closedAt)))
    .limit(1),
);
const reviewRead = preparedItem<OrderKey>((db) =>
  db
    .select()
    .from(reviews)
    .where(and(eq(reviews.shopId, slot('shopId')), eq(reviews.orderId, slot('orderId'))))
    .limit(1),
);
const requestRead = preparedItem<OrderKey>((db) =>
  db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.shopId, slot('shopId')),
        eq(messages.orderId, slot('orderId')),
        eq(messages.kind, 'review_request'),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1),
);

// The same reads for a queue batch's triggers, one statement each (shared/db/merged.ts).
const reviewsRead = preparedItem<{ pairs: string }>((db) =>
  db.select().from(reviews).where(pairsIn(reviews.shopId, reviews.orderId)),
);
const requestsRead = preparedItem<{ pairs: string }>((db) =>
  db
    .select()
    .from(messages)
    .where(newestPerPair('messages', 'order_id', 'created_at', "t.kind = 'review_request'")),
);
const OPEN_CASES = `SELECT k.key AS i FROM json_each(?1) AS k WHERE EXISTS (
  SELECT 1 FROM cases AS c WHERE c.shop_id = k.value ->> 0 AND c.order_id = k.value ->> 1 AND c.closed_at IS NULL)`;

const orderIdOf = (k: OrderKey) => k.orderId;
const hasOpenCase = merged<OrderKey, boolean>({
  name: 'open-case',
  one: async (db, k) => (await first<Case>(openCaseRead(db, k))) !== undefined,
  many: (db, keys) => keysWhere(db, OPEN_CASES, pairs(keys, orderIdOf), keys.length),
});
const reviewOf = rowPerPair<OrderKey, Review>('review', orderIdOf, reviewRead, reviewsRead, (r) => r.orderId);
const requestOf = rowPerPair<OrderKey, Message>(
  'review-request',
  orderIdOf,
  requestRead,
  requestsRead,
  (r) => r.orderId,
);

export async function loadContext(db: Db, shopId: string, orderId: string): Promise<ReviewContext | undefined> {
  const [order, shop] = await orderAndShop(db, shopId, orderId);
  if (!shop || !order) return undefined;
  const key = { shopId, orderId };
  const [customer, parcels, openCase, review, request] = await Promise.all([
    order.buyerId ? customerByKey(db, shopId, order.buyerId) : undefined,
    parcelsOfOrder(db, shopId, orderId),
    hasOpenCase(db, key),
    reviewOf(db, key),
    requestOf(db, key),
  ]);
  const exception = await openException(db, shopId, parcels);
  const hold: HoldReason | null = openCase
    ? 'held_open_case'
    : order.refundedAt
      ? 'held_refund'
      : exception
        ? 'held_exception'
        : null;
  return {
    shop,
    settings: reviewSettings(shop.reviewRequests),
    order,
    customer: customer ?? null,
    locale: customer?.locale ?? 'zh-CN',
    audience: await audienceOf(db, order, customer),
    anchor: anchorOf(order, parcels),
    hold,
    review,
    request,
  };
}

/** The earlier of: the last parcel's delivery (once every parcel is delivered), the order's completion. */
export function anchorOf(order: Pick<Order, 'completedAt'>, parcels: Pick<Shipment, 'deliveredAt'>[]): Date | null {
  const delivered =
    parcels.length > 0 && parcels.every((p) => p.deliveredAt)
      ? Math.max(...parcels.map((p) => p.deliveredAt!.getTime()))
      : null;
  const times = [delivered, order.completedAt?.getTime() ?? null].filter((t): t is number => t !== null);
  return times.length ? new Date(Math.min(...times)) : null;
}

/** A parcel that hit an exception and was never delivered. */
async function openException(db: Db, shopId: string, parcels: Shipment[]): Promise<boolean> {
  const undelivered = parcels.filter((p) => !p.deliveredAt).map((p) => p.id);
  if (!undelivered.length) return false;
  const row = await db.query.trackingEvents.findFirst({
    columns: { id: true },
    where: and(
      eq(trackingEvents.shopId, shopId),
      inArray(trackingEvents.shipmentId, undelivered),
      inArray(trackingEvents.status, [...exceptionStatuses]),
    ),
  });
  return row !== undefined;
}

/** When the request is due, and when it (and its reminder) stops being worth sending. */
export const requestDue = (ctx: ReviewContext) => new Date(ctx.anchor!.getTime() + ctx.settings.delay_days * DAY);
export const expiresAt = (ctx: ReviewContext) => new Date(ctx.anchor!.getTime() + ctx.settings.window_days * DAY);
export const reminderGapMs = (ctx: ReviewContext) => ctx.settings.reminder_gap_days * DAY;

/** The last hold or release of a step, to record only changes. */
export async function lastHold(db: Db, ctx: ReviewContext, step: 'request' | 'reminder') {
  const row: ReviewHold | undefined = await db.query.reviewHolds.findFirst({
    where: and(eq(reviewHolds.shopId, ctx.shop.id), eq(reviewHolds.orderId, ctx.order.id), eq(reviewHolds.step, step)),
    orderBy: [desc(reviewHolds.createdAt), desc(reviewHolds.id)],
  });
  return row;
}

/** The order's page in the staff console. */
export const consoleUrl = (publicUrl: string, orderId: string) =>
  `${publicUrl.replace(/\/$/, '')}/console/#/orders/${encodeURIComponent(orderId)}`;

/** Template data of the flow's buyer messages: the order's common values, the review link and the review. */
export function buyerData(ctx: ReviewContext) {
  return {
    ...orderData({
      shop: ctx.shop,
      order: ctx.order,
      buyer: ctx.customer,
      returning: ctx.audience.returning,
      locale: ctx.locale,
    }),
    review_url: reviewUrl(ctx.settings, ctx.order.id),
    review: { rating: ctx.review?.rating ?? 0, content: ctx.review?.content ?? '' },
  };
}
