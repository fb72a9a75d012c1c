/**
 * Delivery receipts (Twilio status callbacks, Aliyun SmsReport pushes) applied
 * to the outbox. Receipts are at-least-once and arrive out of order, so each is
 * one conditional UPDATE that only moves a message forward:
 *   sending        -> sent        (the provider took it; our own markSent may not have run yet)
 *   sending | sent -> delivered | failed
 * A late "sent" never overwrites "delivered" or "failed", a repeated receipt
 * matches no row and changes nothing, and a receipt for another provider's
 * message is ignored. The result says whether the receipt moved the message.
 */
import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messages, type MessageStatus } from '../db/schema';
import type { Provider } from '../channels/types';

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
