/**
 * Planning messages into the outbox. One row per business key
 * (shop, order, kind, step, channel, recipient): planning twice is a no-op.
 * Rows due now are queued for the dispatcher at once; the dispatcher's cron
 * queues the rest when due, and also any row whose queue message was lost.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { messages, type Channel, type Customer, type MessageReason, type OrderState, type Shop } from '../db/schema';
import { newId } from '../crypto/random';
import type { MessageKind } from '../templates/kinds';
import { messageKinds } from '../templates/kinds';
import type { Audience } from '../templates/variants';
import { compose } from './compose';
import { candidates } from './routing';
import { deliverySettings, routeFor } from './settings';

export const dispatchJobSchema = z.object({ shopId: z.string(), messageId: z.string() });
export type DispatchJob = z.infer<typeof dispatchJobSchema>;

export type PlanRequest = {
  shop: Shop;
  orderId: string;
  customer: Customer | null;
  kind: MessageKind;
  step?: number;
  locale: string;
  data: Record<string, unknown>;
  audience: Audience;
  dueAt?: Date;
  expectsOrderState?: OrderState;
  /** For a fallback: plan on the channels after this one, recording why. */
  after?: Channel;
  fallbackReason?: string;
};

export type PlanResult = { id: string; status: 'queued' | 'skipped'; reason?: MessageReason; duplicate: boolean };

export async function planMessage(
  db: Db,
  queue: Queue<DispatchJob> | undefined,
  req: PlanRequest,
  now = new Date(),
): Promise<PlanResult> {
  const settings = deliverySettings(req.shop.delivery);
  const [next] = candidates(settings, req.kind, req.customer, req.after, req.fallbackReason ?? null);
  const base = {
    id: newId('msg'),
    shopId: req.shop.id,
    orderId: req.orderId,
    buyerId: req.customer?.id ?? null,
    kind: req.kind,
    step: req.step ?? 0,
    data: req.data,
    locale: req.locale,
    expectsOrderState: req.expectsOrderState ?? null,
    dueAt: req.dueAt ?? now,
    createdAt: now,
    updatedAt: now,
  };
  let row: typeof messages.$inferInsert;
  if (!next) {
    const staff = messageKinds[req.kind].audience === 'staff';
    const route = routeFor(settings, req.kind, staff);
    const reason: MessageReason = route.some((c) => req.customer?.optedOutChannels.includes(c))
      ? 'opted_out'
      : 'no_recipient';
    const channel = req.after ?? route[0]!;
    row = { ...base, channel, recipient: '', status: 'skipped', reason, fallbackReason: req.fallbackReason ?? null };
  } else {
    const composed = await compose(db, { ...req, channel: next.channel, seed: req.orderId });
    row = {
      ...base,
      ...composed,
      channel: next.channel,
      recipient: next.recipient,
      status: 'queued',
      fallbackReason: next.fallbackReason,
    };
  }
  const [inserted] = await db.insert(messages).values(row).onConflictDoNothing().returning({ id: messages.id });
  if (!inserted) return { id: '', status: row.status as 'queued' | 'skipped', duplicate: true };
  if (row.status === 'queued' && row.dueAt!.getTime() <= now.getTime()) {
    // If this send fails, the dispatcher's due scan still finds the row: nothing is lost.
    await queue?.send({ shopId: req.shop.id, messageId: inserted.id }).catch((error: unknown) => {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'enqueue failed; the due scan will pick it up',
          id: inserted.id,
          error: String(error),
        }),
      );
    });
  }
  return {
    id: inserted.id,
    status: row.status as 'queued' | 'skipped',
    reason: row.reason ?? undefined,
    duplicate: false,
  };
}
