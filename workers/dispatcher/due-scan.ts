/**
 * Queues messages that are due but not in flight: deferred ones whose quiet
 * hours ended, retries, and any row whose queue message was lost. Reads only
 * due rows through the partial index on `due_at`.
 */
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { messages } from '../../shared/db/schema';
import type { DispatchJob } from '../../shared/delivery/plan';

const BATCH = 500;
/** Rows queued within this grace are most likely still in the queue. */
const GRACE_MS = 60_000;

/** `shopId` limits the scan to one shop (the simulator's private shop); the cron scans every shop. */
export async function enqueueDue(db: Db, queue: Queue<DispatchJob>, now: Date, shopId?: string): Promise<number> {
  const due = await db
    .select({ shopId: messages.shopId, messageId: messages.id })
    .from(messages)
    .where(
      and(
        inArray(messages.status, ['planned', 'queued']),
        lte(messages.dueAt, new Date(now.getTime() - GRACE_MS)),
        shopId === undefined ? undefined : eq(messages.shopId, shopId),
      ),
    )
    .orderBy(asc(messages.dueAt))
    .limit(BATCH);
  for (let i = 0; i < due.length; i += 100) {
    await queue.sendBatch(due.slice(i, i + 100).map((body) => ({ body })));
  }
  return due.length;
}
