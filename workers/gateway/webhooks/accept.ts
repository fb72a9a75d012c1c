/**
 * The one intake path after a delivery is verified, shared by the native signed webhook and every
 * platform adapter (Shopify, Kuaidi100, AfterShip): the event is checked against the contract's
 * schema (a rejection stores nothing), recorded in one D1 batch with its source, and the armed
 * flows are woken after the answer. A platform delivery that maps to no event is recorded as
 * `ignored`, deduplicated the same way, so the timeline shows it and a repeat is a no-op.
 */
import type { Context } from 'hono';
import { newId } from '../../../shared/crypto/random';
import { dbFor } from '../../../shared/db/client';
import { webhookEvents, type IntakeSource, type Shop } from '../../../shared/db/schema';
import { webhookEventSchema } from '../../../shared/events/webhook';
import { illFormedPath } from '../../../shared/events/well-formed';
import type { AppEnv } from '../../../shared/http/app';
import { ApiError, validationError } from '../../../shared/http/errors';
import { recordEvent, type IntakeResult } from './intake';
import { notifyFlows } from './notify';

/** Who sent a delivery and its id there (already prefixed by source for platforms). */
export type Delivery = { source: IntakeSource; webhookId: string };

/** Validates a native event body (400 with paths), records it and wakes its flows after the answer. */
export async function acceptEvent(
  c: Context<AppEnv>,
  shop: Pick<Shop, 'id'>,
  delivery: Delivery,
  body: unknown,
): Promise<IntakeResult> {
  const illFormed = illFormedPath(body);
  if (illFormed !== undefined) {
    const details = [{ path: illFormed, message: 'not well-formed Unicode (lone surrogate)' }];
    throw new ApiError('validation_failed', `${illFormed || 'body'}: not well-formed Unicode`, details);
  }
  const parsed = webhookEventSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const result = await recordEvent(c.env, shop.id, delivery.webhookId, parsed.data, delivery.source);
  // After the answer: the trigger rows are the durable record, and each flow's sweep runs what a queue lost.
  if (result.status === 'accepted') notifyFlows(c.executionCtx, c.env, result.triggers);
  return result;
}

/** What a platform delivery that carries no event was, and why it was passed over. */
export type Ignored = { type: string; reason: string; orderId?: string; occurredAt?: Date };

/** Records an acknowledged delivery that maps to no event; `duplicate` when its id was seen. */
export async function recordIgnored(
  env: { DB: D1Database },
  shop: Shop,
  delivery: Delivery,
  ignored: Ignored,
): Promise<{ status: 'ignored' | 'duplicate' }> {
  const now = new Date();
  const rows = await dbFor(env, shop.id)
    .insert(webhookEvents)
    .values({
      id: newId('evt'),
      shopId: shop.id,
      webhookId: delivery.webhookId,
      source: delivery.source,
      type: ignored.type,
      orderId: ignored.orderId ?? '',
      occurredAt: ignored.occurredAt ?? now,
      receivedAt: now,
      outcome: 'ignored',
      payload: { reason: ignored.reason },
    })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  return { status: rows.length > 0 ? 'ignored' : 'duplicate' };
}
