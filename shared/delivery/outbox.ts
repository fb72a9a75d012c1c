/**
 * The outbox state machine in SQL. Every transition is a conditional UPDATE on
 * the state it leaves, so a second dispatcher, a redelivered queue message or
 * the reaper can never move a message twice:
 *   planned/queued -> sending (claim, with a lease) -> sent/delivered | failed | dead
 *   side exits: skipped, cancelled (with a reason), back to planned (deferred or retry).
 */
import { and, eq, inArray, lte, or, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messages, type Message, type MessageReason } from '../db/schema';

/** Longer than any provider call (adapters time out after 15 s), so a live send never loses its lease. */
export const LEASE_MS = 120_000;

const latestClaimInFlight = (shopId: string) =>
  sql`(select max(${messages.claimedAt}) from ${messages} where ${messages.shopId} = ${shopId} and ${messages.status} = 'sending')`;

/** Takes the message for sending, or returns undefined when it is not due or someone else has it. */
export async function claim(db: Db, shopId: string, id: string, now: Date): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({
      status: 'sending',
      // Later than every claim of the shop still in flight, so the policy's "claimed before" order
      // (policy.ts countedBefore) is the order in which claims committed, whatever each dispatcher's clock said.
      claimedAt: sql`max(${now.getTime()}, coalesce(${latestClaimInFlight(shopId)}, -1) + 1)`,
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS),
      attempts: sql`${messages.attempts} + 1`,
      updatedAt: now,
    })
    .where(
      and(
        eq(messages.shopId, shopId),
        eq(messages.id, id),
        inArray(messages.status, ['planned', 'queued']),
        or(isNull(messages.dueAt), lte(messages.dueAt, now)),
      ),
    )
    .returning();
  return row;
}

const whileSending = (shopId: string, id: string) =>
  and(eq(messages.shopId, shopId), eq(messages.id, id), eq(messages.status, 'sending'));

export function markSent(
  db: Db,
  m: Message,
  result: {
    provider: string;
    providerMessageId?: string | null;
    status: 'sent' | 'delivered';
    /** Why earlier providers of the channel were passed over (e.g. `provider_down:webhook`), appended to the row's. */
    fallbackReason?: string;
  },
  now: Date,
) {
  return db
    .update(messages)
    .set({
      status: result.status,
      // A deferral reason no longer applies once the message went out.
      reason: null,
      ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
      provider: result.provider,
      providerMessageId: result.providerMessageId ?? m.providerMessageId,
      sentAt: now,
      deliveredAt: result.status === 'delivered' ? now : null,
      leaseExpiresAt: null,
      lastError: null,
      updatedAt: now,
    })
    .where(whileSending(m.shopId, m.id));
}

/** Ends the message without sending: skipped (policy), cancelled (order moved on), failed or dead. */
export function finish(
  db: Db,
  m: Message,
  status: 'skipped' | 'cancelled' | 'failed' | 'dead',
  reason: MessageReason,
  now: Date,
  error?: string,
) {
  return db
    .update(messages)
    .set({ status, reason, leaseExpiresAt: null, lastError: error ?? null, updatedAt: now })
    .where(whileSending(m.shopId, m.id));
}

/** Puts the message back to wait until `until`: a retry after a transient error, or a quiet-hours deferral. */
export function reschedule(
  db: Db,
  m: Message,
  until: Date,
  now: Date,
  why: { reason?: MessageReason; error?: string; provider?: string },
) {
  return db
    .update(messages)
    .set({
      status: 'queued',
      dueAt: until,
      nextAttemptAt: why.error ? until : null,
      reason: why.reason ?? null,
      lastError: why.error ?? null,
      provider: why.provider ?? m.provider,
      leaseExpiresAt: null,
      // A deferral is not an attempt: only provider calls count toward the retry limit.
      attempts: why.error ? m.attempts : m.attempts - 1,
      updatedAt: now,
    })
    .where(whileSending(m.shopId, m.id));
}

/** Notes the provider about to be called, so the reaper knows whom to ask if the worker dies mid-call. */
export function noteProvider(db: Db, m: Message, provider: string, now: Date) {
  return db.update(messages).set({ provider, updatedAt: now }).where(whileSending(m.shopId, m.id));
}

/**
 * Cancels the order's messages of `kinds` that have not been claimed yet (`planned`, `queued`):
 * the flow that owns them decided the state moved on. Claimed ones meet the send-time check.
 */
export function cancelPending(
  db: Db,
  order: { shopId: string; orderId: string },
  kinds: readonly string[],
  reason: MessageReason,
  now: Date,
) {
  return db
    .update(messages)
    .set({ status: 'cancelled', reason, dueAt: null, updatedAt: now })
    .where(
      and(
        eq(messages.shopId, order.shopId),
        eq(messages.orderId, order.orderId),
        inArray(messages.kind, [...kinds]),
        inArray(messages.status, ['planned', 'queued']),
      ),
    )
    .returning({ id: messages.id });
}
