/**
 * Review care: a rating at or below the shop's threshold alerts staff at once (中差评告警) and may
 * send the buyer one apology; a rating above it may be thanked. Staff alerts of one shop are
 * grouped: the first in a few minutes goes alone, the ones after it wait on the shop's `alerts`
 * timer (order id '') and go out together as one chat message when the few minutes are over.
 */
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { runBatch, type Db } from '../../shared/db/client';
import { messages, reviews, type Review } from '../../shared/db/schema';
import { planMessage, type DispatchJob, type PlanRequest } from '../../shared/delivery/plan';
import { arm } from '../../shared/flows/timers';
import type { MessageKind } from '../../shared/templates/kinds';
import { quietUntil } from '../../shared/time/zoned';
import { buyerData, consoleUrl, loadContext, type ReviewContext } from './context';

/** Alerts arriving within this long of the last one are sent together. */
export const ALERT_GROUP_MS = 5 * 60_000;
/** The most reviews one grouped alert lists; more wait for the next. */
export const ALERT_GROUP_MAX = 20;
const FLOW = 'review-requests';

export type ReviewEnv = { DB: D1Database; DISPATCH: Queue; DISPATCH_SCHEDULED: Queue; PUBLIC_URL: string };
type Queue_ = Queue<DispatchJob> | undefined;

const isNegative = (ctx: ReviewContext, review: Review) => review.rating <= ctx.settings.negative_threshold;

/** The staff alert's template data: the order, the review and, when grouped, the others with it. */
function alertData(ctx: ReviewContext, review: Review, publicUrl: string, also: Record<string, unknown>[] = []) {
  const base = buyerData({ ...ctx, review, locale: 'zh-CN' });
  return {
    ...base,
    order: { ...base.order, console_url: consoleUrl(publicUrl, ctx.order.id) },
    review: { rating: review.rating, content: review.content ?? '', created_at: review.createdAt.getTime() },
    also,
  };
}

function staffAlert(ctx: ReviewContext, step: number, data: Record<string, unknown>, publicUrl: string): PlanRequest {
  return {
    shop: ctx.shop,
    orderId: ctx.order.id,
    customer: null,
    kind: 'negative_review_alert',
    step,
    // Staff texts render in zh-CN: shops have no language setting yet.
    locale: 'zh-CN',
    data,
    audience: ctx.audience,
    publicUrl,
  };
}

/** Plans what the order's review calls for; returns the trigger's outcome. */
export async function reviewCare(env: ReviewEnv, db: Db, queue: Queue_, ctx: ReviewContext, now: Date) {
  const review = ctx.review!;
  const negative = isNegative(ctx, review);
  const buyerKind: MessageKind = negative ? 'negative_review_care' : 'positive_review_thanks';
  if (negative ? ctx.settings.care : ctx.settings.thanks) {
    // Never in quiet hours: the apology or the thanks can wait for the morning.
    const dueAt = quietUntil(now, ctx.shop.timezone, ctx.shop.quietHours) ?? now;
    const req = { shop: ctx.shop, orderId: ctx.order.id, customer: ctx.customer, kind: buyerKind, locale: ctx.locale };
    const planned = { ...req, data: buyerData(ctx), audience: ctx.audience, dueAt, publicUrl: env.PUBLIC_URL };
    await planMessage(db, queue, planned, now);
  }
  if (!negative || review.alert !== 'none') return negative ? 'alerted' : 'reviewed';
  const shopId = ctx.shop.id;
  const [recent] = await db
    .select({ createdAt: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.shopId, shopId),
        gte(messages.createdAt, new Date(now.getTime() - ALERT_GROUP_MS)),
        // A literal, not a bound value, so the partial index messages_review_alert_idx applies.
        sql`${messages.kind} = 'negative_review_alert'`,
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const mark = (alert: 'pending' | 'sent') =>
    db
      .update(reviews)
      .set({ alert })
      .where(and(eq(reviews.shopId, shopId), eq(reviews.id, review.id), eq(reviews.alert, 'none')));
  if (!recent) {
    // The first in a while goes at once; planning again after a failure is a no-op on the business key.
    await planMessage(db, queue, staffAlert(ctx, 0, alertData(ctx, review, env.PUBLIC_URL), env.PUBLIC_URL), now);
    await runBatch(db, [mark('sent')]);
    return 'alerted';
  }
  const key = { shopId, flow: FLOW, orderId: '', step: 'alerts' } as const;
  const due = new Date(recent.createdAt.getTime() + ALERT_GROUP_MS);
  const items: BatchItem<'sqlite'>[] = [mark('pending'), arm(db, key, due, now, { rearm: true })];
  await runBatch(db, items);
  return 'alert_grouped';
}

/** The shop's `alerts` timer: one staff message listing every review alert that waited. */
export async function groupedAlert(env: ReviewEnv, db: Db, queue: Queue_, shopId: string, now: Date) {
  const waiting = await db.query.reviews.findMany({
    where: and(eq(reviews.shopId, shopId), eq(reviews.alert, 'pending')),
    orderBy: [asc(reviews.receivedAt)],
    limit: ALERT_GROUP_MAX + 1,
  });
  const batch = waiting.slice(0, ALERT_GROUP_MAX);
  const [first, ...rest] = batch;
  if (!first) return { planned: 0, more: false };
  const ctx = await loadContext(db, shopId, first.orderId);
  const also = rest.map((r) => ({
    order_id: r.orderId,
    rating: r.rating,
    content: r.content ?? '',
    console_url: consoleUrl(env.PUBLIC_URL, r.orderId),
  }));
  let planned = 0;
  if (ctx) {
    // Step 1: the grouped alert, under the first order (its own step 0 alert never went, it waited).
    const result = await planMessage(
      db,
      queue,
      staffAlert(ctx, 1, alertData(ctx, first, env.PUBLIC_URL, also), env.PUBLIC_URL),
      now,
    );
    if (!result.duplicate) planned++;
  }
  const ids = batch.map((r) => r.id);
  await runBatch(db, [
    db
      .update(reviews)
      .set({ alert: 'sent' })
      .where(and(eq(reviews.shopId, shopId), inArray(reviews.id, ids), eq(reviews.alert, 'pending'))),
  ]);
  return { planned, more: waiting.length > ALERT_GROUP_MAX };
}
