/**
 * The send-time check for review requests and reminders, beside the order-state check: one still
 * queued when the buyer's review arrives is skipped with reason `reviewed` (the flow stops planning
 * them on a review; this catches the one already on its way).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { reviews, type Message } from '../db/schema';

const askingKinds = new Set(['review_request', 'review_reminder']);

export async function alreadyReviewed(db: Db, m: Message): Promise<boolean> {
  if (!askingKinds.has(m.kind)) return false;
  const review = await db.query.reviews.findFirst({
    where: and(eq(reviews.shopId, m.shopId), eq(reviews.orderId, m.orderId)),
    columns: { id: true },
  });
  return review !== undefined;
}
