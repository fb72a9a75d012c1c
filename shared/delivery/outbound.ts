/**
 * The one place a stored message becomes what a channel adapter receives, for
 * a send (with the links a send needs) and for a reaper lookup alike.
 */
import type { OutboundMessage } from '../channels/types';
import type { Message } from '../db/schema';
import { isTransactional, type MessageKind } from '../templates/kinds';

/** Where the gateway answers: one-click unsubscribe and delivery receipts. Only sends need them. */
export type OutboundLinks = { publicUrl: string };

export function outboundMessage(m: Message, links?: OutboundLinks): OutboundMessage {
  const kind = m.kind as MessageKind;
  const base = links?.publicUrl.replace(/\/$/, '');
  return {
    id: m.id,
    shopId: m.shopId,
    orderId: m.orderId,
    kind,
    transactional: isTransactional(kind),
    channel: m.channel,
    recipient: m.recipient,
    // Only a row that was never rendered (a skip) lacks it, and such a row is never claimed; should one
    // reach an adapter anyway, its `partsFor` refuses it as a permanent error.
    rendered: m.rendered!,
    data: m.data ?? {},
    ...(base
      ? {
          unsubscribeUrl: `${base}/v1/unsubscribe/${m.shopId}/${m.id}`,
          statusCallbackUrl: `${base}/v1/receipts/${m.shopId}`,
        }
      : {}),
  };
}
