/**
 * A message's next channel, taken at send time without planning again. The
 * route after the message's channel and the text for each of its channels were
 * fixed when the message was planned (`messages.alternatives`, see plan.ts), so
 * the dispatcher only checks them against the buyer as it sees them now (an
 * address gone, an opt-out since) and inserts the next row. Nothing renders.
 */
import { newId } from '../crypto/random';
import type { Db } from '../db/client';
import type { Customer, Message } from '../db/schema';
import { messageKinds, type MessageKind } from '../templates/kinds';
import { insertMessage, type MessageRow } from './outbox';
import type { PreparedMessage } from './plan';
import { addressFor, noChannelReason, unreachable } from './routing';
import { routeFor, type DeliverySettings } from './settings';

export type FallbackInput = {
  /** The buyer as the dispatcher loaded them for the send-time policy. */
  customer: Customer | null | undefined;
  settings: DeliverySettings;
  /** Why `m` is left behind, e.g. `provider_rejected:webhook`. */
  reason: string;
  now: Date;
};

/**
 * The row that carries `m` on to its next reachable alternative, with the reasons every channel
 * before it was passed over; or, when none is left, a `skipped` row on the same business key
 * rules as planning (`no_recipient` / `opted_out`). Null for a row without template data.
 */
export function prepareFallback(db: Db, m: Message, input: FallbackInput): PreparedMessage | null {
  const { customer, settings, reason, now } = input;
  if (!m.data) return null;
  const kind = m.kind as MessageKind;
  const staff = messageKinds[kind].audience === 'staff';
  const base: MessageRow = {
    id: newId('msg'),
    shopId: m.shopId,
    orderId: m.orderId,
    buyerId: m.buyerId,
    purpose: m.purpose,
    kind: m.kind,
    step: m.step,
    data: m.data,
    locale: m.locale,
    expectsOrderState: m.expectsOrderState,
    // The text and the clock it was judged by travel with it: so does the time it stops being true.
    sendBy: m.sendBy,
    clock: m.clock,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
    channel: m.channel,
    recipient: '',
  };
  const alternatives = m.alternatives ?? [];
  const passed = [reason];
  for (const [i, alt] of alternatives.entries()) {
    if (alt.passed) passed.push(alt.passed);
    const recipient = addressFor(alt.channel, customer, staff);
    const passedOver = unreachable(alt.channel, recipient, customer);
    if (passedOver) {
      passed.push(passedOver);
      continue;
    }
    const row: MessageRow = {
      ...base,
      channel: alt.channel,
      recipient,
      status: 'queued',
      rendered: alt.rendered,
      templateVersionId: alt.templateVersionId,
      variant: alt.variant,
      fallbackReason: passed.join(';'),
      alternatives: alternatives.slice(i + 1),
    };
    return { row, insert: insertMessage(db, row) };
  }
  const row: MessageRow = {
    ...base,
    status: 'skipped',
    reason: noChannelReason(routeFor(settings, kind, staff), customer),
    fallbackReason: reason,
  };
  return { row, insert: insertMessage(db, row) };
}
