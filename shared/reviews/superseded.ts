/**
 * The send-time check for review requests and reminders, beside the order-state check: one still
 * queued when the buyer's review arrives is skipped with reason `reviewed` (the flow stops planning
 * them on a review; this catches the one already on its way).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { reviews, type Message } from '../db/schema';

const askingKinds = new Set(['review_request', 'review_reminder']);

/** Whether the message asks for a review (a request or reminder), the kinds this check concerns. */
const asksForReview = (m: Pick<Message, 'kind'>) => askingKinds.has(m.kind);

/**
 * Whether a review request or reminder's order was reviewed meanwhile. `known` is the answer read
 * with the claim (workers/dispatcher/claim.ts); without it the review is looked up here.
 */
export async function alreadyReviewed(db: Db, m: Message, known?: boolean): Promise<boolean> {
  if (!asksForReview(m)) return false;
  if (known !== undefined) return known;
  const review = await db.query.reviews.findFirst({
    where: and(eq(reviews.shopId, m.shopId), eq(reviews.orderId, m.orderId)),
    columns: { id: true },
  });
  return review !== undefined;
}
