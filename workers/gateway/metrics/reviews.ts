/**
 * Results of review requests: each request sent starts a cohort, grouped per local day of sending
 * (shop time) and template variant; its order's reminder, its review (written after the request)
 * and the review's rating count toward that cohort.
 */
import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { messages, reviews, type Shop } from '../../../shared/db/schema';
import { reviewSettings } from '../../../shared/reviews/settings';
import { localDate } from '../../../shared/time/zoned';

export type ReviewMetricsRow = {
  date: string;
  variant: string;
  template_version_id: string | null;
  requests_sent: number;
  reminders_sent: number;
  reviews_received: number;
  review_rate: number;
  average_rating: number | null;
  negative_share: number | null;
};

const CHUNK = 90;
const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : null);

async function byOrders<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

export async function reviewMetrics(db: Db, shop: Shop, from: Date, to: Date): Promise<ReviewMetricsRow[]> {
  const threshold = reviewSettings(shop.reviewRequests).negative_threshold;
  const sent = ['sent', 'delivered'] as const;
  const requests = await db.query.messages.findMany({
    where: and(
      eq(messages.shopId, shop.id),
      eq(messages.kind, 'review_request'),
      inArray(messages.status, [...sent]),
      gte(messages.sentAt, from),
      lt(messages.sentAt, to),
    ),
  });
  const orderIds = [...new Set(requests.map((m) => m.orderId))];
  const reminded = new Set(
    (
      await byOrders(orderIds, (chunk) =>
        db
          .select({ orderId: messages.orderId })
          .from(messages)
          .where(
            and(
              eq(messages.shopId, shop.id),
              inArray(messages.orderId, chunk),
              eq(messages.kind, 'review_reminder'),
              inArray(messages.status, [...sent]),
            ),
          ),
      )
    ).map((r) => r.orderId),
  );
  const reviewOf = new Map(
    (
      await byOrders(orderIds, (chunk) =>
        db
          .select({ orderId: reviews.orderId, rating: reviews.rating, createdAt: reviews.createdAt })
          .from(reviews)
          .where(and(eq(reviews.shopId, shop.id), inArray(reviews.orderId, chunk))),
      )
    ).map((r) => [r.orderId, r]),
  );

  const groups = new Map<string, ReviewMetricsRow & { ratings: number; negatives: number }>();
  for (const m of requests) {
    const date = localDate(m.sentAt!, shop.timezone);
    const variant = m.variant ?? 'base';
    const key = [date, variant, m.templateVersionId ?? 'default'].join('|');
    const g = groups.get(key) ?? {
      date,
      variant,
      template_version_id: m.templateVersionId,
      requests_sent: 0,
      reminders_sent: 0,
      reviews_received: 0,
      review_rate: 0,
      average_rating: null,
      negative_share: null,
      ratings: 0,
      negatives: 0,
    };
    g.requests_sent++;
    if (reminded.has(m.orderId)) g.reminders_sent++;
    const review = reviewOf.get(m.orderId);
    // A review written before the request was not an answer to it.
    if (review && review.createdAt.getTime() >= m.sentAt!.getTime()) {
      g.reviews_received++;
      g.ratings += review.rating;
      if (review.rating <= threshold) g.negatives++;
    }
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(({ ratings, negatives, ...row }) => ({
      ...row,
      review_rate: ratio(row.reviews_received, row.requests_sent) ?? 0,
      average_rating: row.reviews_received ? Math.round((ratings / row.reviews_received) * 100) / 100 : null,
      negative_share: ratio(negatives, row.reviews_received),
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.variant.localeCompare(b.variant));
}
