/**
 * The review and case facts an event carries, written in the intake's batch like the order state:
 * `review.created` stores the order's one review (a repeated event replaces it only when newer),
 * `case.opened` / `case.closed` open and close a complaint, return or refund case by event time,
 * so a close that arrives before its open still leaves the case closed.
 */
import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../../shared/db/client';
import { cases, reviews } from '../../../shared/db/schema';
import { newId } from '../../../shared/crypto/random';
import type { WebhookEventBody } from '../../../shared/events/webhook';

export function reviewStatements(db: Db, shopId: string, event: WebhookEventBody, now: Date): BatchItem<'sqlite'>[] {
  if (event.type === 'review.created') {
    const { order_id, rating, content, created_at } = event.data;
    const createdAt = new Date(created_at);
    return [
      db
        .insert(reviews)
        .values({
          id: newId('rev'),
          shopId,
          orderId: order_id,
          rating,
          content: content ?? null,
          createdAt,
          receivedAt: now,
        })
        .onConflictDoUpdate({
          target: [reviews.shopId, reviews.orderId],
          set: { rating, content: content ?? null, createdAt, receivedAt: now },
          setWhere: sql`excluded.created_at > ${reviews.createdAt}`,
        }),
    ];
  }
  if (event.type === 'case.opened') {
    const { order_id, case_id, kind, occurred_at } = event.data;
    const at = new Date(occurred_at);
    return [
      db
        .insert(cases)
        .values({ shopId, orderId: order_id, id: case_id, kind, openedAt: at, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [cases.shopId, cases.orderId, cases.id],
          set: {
            kind,
            openedAt: sql`max(coalesce(${cases.openedAt}, 0), excluded.opened_at)`,
            // Opened again after it was closed: open once more. A late, older open changes nothing.
            closedAt: sql`CASE WHEN ${cases.closedAt} < excluded.opened_at THEN NULL ELSE ${cases.closedAt} END`,
            updatedAt: now,
          },
        }),
    ];
  }
  if (event.type === 'case.closed') {
    const { order_id, case_id, occurred_at } = event.data;
    const at = new Date(occurred_at);
    return [
      db
        .insert(cases)
        .values({ shopId, orderId: order_id, id: case_id, closedAt: at, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [cases.shopId, cases.orderId, cases.id],
          set: {
            closedAt: sql`CASE WHEN ${cases.openedAt} IS NULL OR excluded.closed_at >= ${cases.openedAt} THEN max(coalesce(${cases.closedAt}, 0), excluded.closed_at) ELSE ${cases.closedAt} END`,
            updatedAt: now,
          },
        }),
    ];
  }
  return [];
}
