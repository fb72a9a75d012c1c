/**
 * The outbox state machine in SQL. Every transition is a conditional UPDATE on
 * the state it leaves, so a second dispatcher, a redelivered queue message or
 * the reaper can never move a message twice:
 *   planned/queued -> sending (claim, with a lease) -> sent/delivered | failed | dead
 *   side exits: skipped, cancelled (with a reason), back to queued (deferred, retried, or requeued by hand).
 * It is the only module that writes `messages`: planning, fallbacks and test sends insert through
 * `insertMessage`, and every later change of a row is one of the transitions below.
 */
import { and, eq, inArray, lte, or, isNull, sql, type SQL } from 'drizzle-orm';
import type { Provider } from '../channels/types';
import { runBatch, type Db } from '../db/client';
import { pairs, pairsIn, tupleKey } from '../db/merged';
import { rowsMerge } from '../db/rows-merge';
import { preparedItem, rawItem } from '../db/prepared-item';
import { insertMessagesSql } from './insert-many';
import { messages, type Message, type MessageReason, type MessageStatus } from '../db/schema';

/** Longer than any provider call (adapters time out after 15 s), so a live send never loses its lease. */
export const LEASE_MS = 120_000;

export type MessageRow = typeof messages.$inferInsert;

/**
 * Inserts a new message; a no-op (returning no row) when its business key already exists. Run alone
 * or in a batch. The statement is `insertMessagesStatement`'s (./insert-many.ts) for one row: written
 * once, where drizzle's insert builder rebuilt it for every message (about a fifth of a flow
 * worker's CPU in the peak replay, BENCHMARKS.md).
 */
export function insertMessage(db: Db, row: MessageRow) {
  const { sql: text, param } = insertMessagesSql([row]);
  return rawItem(db, text, [param], (response) => response.results as { id: string }[]);
}

/** A value bound per use of a prepared statement (shared/db/prepared-item.ts), passed as the driver value. */
const bound = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * The claim of every listed message (`pairs`, shop and id, as one JSON parameter: ../db/merged.ts)
 * that is due and not taken, in one statement: a dispatcher's queue batch claims its jobs together
 * (workers/dispatcher/claim.ts). Each row's change is conditional on the state it leaves, as if
 * claimed alone; a message listed twice is claimed once.
 */
const claimPrepared = preparedItem<{ pairs: string; nowMs: number; leaseExpiresMs: number }>((db) =>
  db
    .update(messages)
    .set({
      status: 'sending',
      // Later than every claim of the shop still in flight, so the policy's "claimed before" order
      // (policy.ts countedBefore: claimed_at, then id) is the order in which claims committed, whatever
      // each dispatcher's clock said. The latest of them is one lookup in messages_sending_claimed_idx.
      claimedAt: sql`max(${bound('nowMs')}, coalesce((select max(s.claimed_at) from messages s where s.shop_id = "messages"."shop_id" and s.status = 'sending'), -1) + 1)`,
      leaseExpiresAt: bound('leaseExpiresMs'),
      attempts: sql`${messages.attempts} + 1`,
      updatedAt: bound('nowMs'),
    })
    .where(
      and(
        pairsIn(messages.shopId, messages.id),
        inArray(messages.status, ['planned', 'queued']),
        or(isNull(messages.dueAt), lte(messages.dueAt, bound('nowMs'))),
      ),
    )
    .returning(),
);

export type MessageKey = { shopId: string; id: string };

/**
 * The claim of `keys` as one statement, not run: the dispatcher runs it first in one D1 batch with
 * the reads the sends need (workers/dispatcher/claim.ts), so a queue batch's claims and their
 * context cost one round trip and a few statements. Its result is the claimed rows (`Message`s), in
 * no particular order.
 */
export function claimStatement(db: Db, keys: readonly MessageKey[], now: Date) {
  const nowMs = now.getTime();
  return claimPrepared(db, { pairs: pairs(keys, (k) => k.id), nowMs, leaseExpiresMs: nowMs + LEASE_MS });
}

/** Takes the message for sending, or returns undefined when it is not due or someone else has it. */
export async function claim(db: Db, shopId: string, id: string, now: Date): Promise<Message | undefined> {
  const [rows] = (await runBatch(db, [claimStatement(db, [{ shopId, id }], now)])) as [Message[]];
  return rows[0];
}

const whileSending = (shopId: string, id: string) =>
  and(eq(messages.shopId, shopId), eq(messages.id, id), eq(messages.status, 'sending'));

// Parameters: status, fallback reason, provider, provider message id, now (ms), delivered (ms), shop, id.
// A deferral reason no longer applies once the message went out; the fallback reason (why earlier
// providers were passed over) is the row's unless this send passed some over.
const SENT = `UPDATE messages SET status = ?1, reason = NULL, fallback_reason = coalesce(?2, fallback_reason),
    provider = ?3, provider_message_id = ?4, sent_at = ?5, delivered_at = ?6,
    lease_expires_at = NULL, last_error = NULL, updated_at = ?5
  WHERE shop_id = ?7 AND id = ?8 AND status = 'sending'`;

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
  const nowMs = now.getTime();
  return rawItem(db, SENT, [
    result.status,
    result.fallbackReason || null,
    result.provider,
    result.providerMessageId ?? m.providerMessageId,
    nowMs,
    result.status === 'delivered' ? nowMs : null,
    m.shopId,
    m.id,
  ]);
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

/**
 * Puts a message that has ended (e.g. `dead` or `failed`) back to `queued`, due now, with attempts
 * reset and the reason cleared; `last_error` stays as history. Conditional on `from`, so of two racing
 * requeues only one returns the row. Run alone or in a batch with its audit row.
 */
export function requeue(db: Db, shopId: string, id: string, from: MessageStatus[], now: Date) {
  return db
    .update(messages)
    .set({
      status: 'queued',
      dueAt: now,
      nextAttemptAt: null,
      leaseExpiresAt: null,
      attempts: 0,
      reason: null,
      updatedAt: now,
    })
    .where(and(eq(messages.shopId, shopId), eq(messages.id, id), inArray(messages.status, from)))
    .returning();
}

/*
 * Delivery receipts (Twilio status callbacks, Aliyun SmsReport pushes). Receipts are at-least-once and
 * arrive out of order, so each is one conditional UPDATE that only moves a message forward:
 *   sending        -> sent        (the provider took it; our own markSent may not have run yet)
 *   sending | sent -> delivered | failed
 * A late "sent" never overwrites "delivered" or "failed", a repeated receipt matches no row and changes
 * nothing, and a receipt for another provider's message is ignored.
 */

export type ReceiptInput = {
  /** orderbell's message id, when the provider echoes our reference (Aliyun `out_id`). */
  messageId?: string;
  /** The provider's id (Twilio MessageSid, Aliyun biz_id). */
  providerMessageId?: string;
  provider: Provider;
  status: 'sent' | 'delivered' | 'failed';
  /** When the provider says it happened (report time), else when we received it. */
  at: Date;
  /** Provider error code and text for a failure; stored as last_error. */
  error?: string;
};

/** The states a receipt of each status may leave. */
const movesFrom: Record<ReceiptInput['status'], MessageStatus[]> = {
  sent: ['sending'],
  delivered: ['sending', 'sent'],
  failed: ['sending', 'sent'],
};

function target(receipt: ReceiptInput): SQL | undefined {
  // Our id is authoritative; the provider id is the fallback (Twilio cannot carry our id).
  if (receipt.messageId) return eq(messages.id, receipt.messageId);
  if (receipt.providerMessageId) return eq(messages.providerMessageId, receipt.providerMessageId);
  return undefined;
}

/** The conditional UPDATE for one receipt, or undefined when it names no message. */
function receiptUpdate(db: Db, shopId: string, receipt: ReceiptInput) {
  const which = target(receipt);
  if (!which) return undefined;
  const at = receipt.at.getTime();
  return db
    .update(messages)
    .set({
      status: receipt.status,
      // Fill in what the dispatcher may not have recorded yet (a receipt can beat markSent).
      provider: sql`coalesce(${messages.provider}, ${receipt.provider})`,
      providerMessageId: sql`coalesce(${messages.providerMessageId}, ${receipt.providerMessageId ?? null})`,
      sentAt: sql`coalesce(${messages.sentAt}, ${at})`,
      ...(receipt.status === 'delivered' ? { deliveredAt: receipt.at } : {}),
      ...(receipt.status === 'failed'
        ? { reason: 'provider_rejected' as const, lastError: receipt.error ?? 'the provider reported a failure' }
        : {}),
      leaseExpiresAt: null,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(messages.shopId, shopId),
        which,
        or(isNull(messages.provider), eq(messages.provider, receipt.provider)),
        inArray(messages.status, movesFrom[receipt.status]),
      ),
    )
    .returning({ id: messages.id });
}

/** Applies one receipt; true when it moved the message. */
export async function applyReceipt(db: Db, shopId: string, receipt: ReceiptInput): Promise<boolean> {
  const update = receiptUpdate(db, shopId, receipt);
  return update ? (await update).length > 0 : false;
}

/** Receipts per D1 batch: a push of MAX_PUSH_ITEMS takes a handful of round trips, not one per report. */
export const RECEIPTS_PER_BATCH = 250;

/**
 * Applies a provider's batch push in D1 batches (each one transaction, in order), so its cost is a
 * few round trips however many reports it carries. Returns how many receipts moved a message.
 */
export async function applyReceipts(db: Db, shopId: string, receipts: ReceiptInput[]): Promise<number> {
  const updates = receipts.flatMap((r) => receiptUpdate(db, shopId, r) ?? []);
  let applied = 0;
  for (let i = 0; i < updates.length; i += RECEIPTS_PER_BATCH) {
    const chunk = updates.slice(i, i + RECEIPTS_PER_BATCH);
    const results = await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
    applied += results.filter((rows) => rows.length > 0).length;
  }
  return applied;
}

// Parameters: provider, now (ms), shop, id.
const NOTE = `UPDATE messages SET provider = ?1, updated_at = ?2 WHERE shop_id = ?3 AND id = ?4 AND status = 'sending'`;

/**
 * Notes the provider about to be called, so the reaper knows whom to ask if the worker dies mid-call.
 * A statement for `runBatch` or the coalescer, of fixed text: on the dispatcher's binding the notes
 * of a batch's sends are one statement (`sendMerges`).
 */
export function noteProvider(db: Db, m: Message, provider: string, now: Date) {
  return rawItem(db, NOTE, [provider, now.getTime(), m.shopId, m.id]);
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
  const params = [reason, now.getTime(), order.shopId, order.orderId, JSON.stringify(kinds)];
  return rawItem(db, CANCEL_PENDING, params, (response) => response.results as { id: string }[]);
}

// Parameters: reason, now (ms), shop, order, the kinds as a JSON array.
const CANCEL_PENDING = `UPDATE messages SET status = 'cancelled', reason = ?1, due_at = NULL, updated_at = ?2
  WHERE shop_id = ?3 AND order_id = ?4 AND kind IN (SELECT value FROM json_each(?5))
    AND status IN ('planned', 'queued')
  RETURNING id`;

/** Many orders' `cancelPending` as one statement, for a flow's coalesced binding (../db/coalesced-d1.ts). */
export const cancelPendingMerge = rowsMerge({
  sql: CANCEL_PENDING,
  many: `UPDATE messages SET status = 'cancelled', reason = k.value ->> 0, due_at = NULL, updated_at = k.value ->> 1
    FROM json_each(?1) AS k
    WHERE messages.shop_id = k.value ->> 2 AND messages.order_id = k.value ->> 3
      AND messages.kind IN (SELECT value FROM json_each(k.value ->> 4))
      AND messages.status IN ('planned', 'queued')
    RETURNING messages.id AS id, messages.shop_id AS shop_id, messages.order_id AS order_id`,
  key: (p) => tupleKey(String(p[2]), String(p[3])),
  returned: (r) => tupleKey(String(r.shop_id), String(r.order_id)),
  project: (r) => ({ id: r.id }),
});

const messageKey = (shop: unknown, id: unknown) => tupleKey(String(shop), String(id));
const returnedMessage = (r: Record<string, unknown>) => messageKey(r.shop_id, r.id);

/**
 * Provider notes and sent outcomes of many sends as one statement each, for the dispatcher's
 * coalesced binding (../db/coalesced-d1.ts): each row still changes only while it is `sending`.
 */
export const sendMerges = [
  rowsMerge({
    sql: NOTE,
    many: `UPDATE messages SET provider = k.value ->> 0, updated_at = k.value ->> 1
      FROM json_each(?1) AS k
      WHERE messages.shop_id = k.value ->> 2 AND messages.id = k.value ->> 3 AND messages.status = 'sending'
      RETURNING messages.shop_id AS shop_id, messages.id AS id`,
    key: (p) => messageKey(p[2], p[3]),
    returned: returnedMessage,
  }),
  rowsMerge({
    sql: SENT,
    many: `UPDATE messages SET status = k.value ->> 0, reason = NULL,
        fallback_reason = coalesce(k.value ->> 1, messages.fallback_reason),
        provider = k.value ->> 2, provider_message_id = k.value ->> 3, sent_at = k.value ->> 4,
        delivered_at = k.value ->> 5, lease_expires_at = NULL, last_error = NULL, updated_at = k.value ->> 4
      FROM json_each(?1) AS k
      WHERE messages.shop_id = k.value ->> 6 AND messages.id = k.value ->> 7 AND messages.status = 'sending'
      RETURNING messages.shop_id AS shop_id, messages.id AS id`,
    key: (p) => messageKey(p[6], p[7]),
    returned: returnedMessage,
  }),
];
