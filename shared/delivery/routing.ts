/**
 * Choosing the channel: walk the shop's route for the kind and take the first
 * channel the recipient can be reached on, recording why earlier ones were passed.
 */
import type { Channel, Customer, MessageReason } from '../db/schema';
import type { MessageKind } from '../templates/kinds';
import { messageKinds } from '../templates/kinds';
import { routeFor, type DeliverySettings } from './settings';

/** The address of `channel` for this message, or '' when there is none. */
export function addressFor(channel: Channel, customer: Customer | null | undefined, staff: boolean): string {
  if (staff) return channel === 'chat' || channel === 'webhook' ? 'staff' : '';
  if (channel === 'sms') return customer?.phone ?? '';
  if (channel === 'email') return customer?.email ?? '';
  if (channel === 'webhook') return 'shop';
  return '';
}

export type RouteStep = { channel: Channel; recipient: string; fallbackReason: string | null };

/**
 * The channels still to try after `after` (or from the start), each with its address
 * and the reason the previous candidates were passed over. Empty when none can be reached.
 */
export function candidates(
  settings: DeliverySettings,
  kind: MessageKind,
  customer: Customer | null | undefined,
  after?: Channel,
  firstReason: string | null = null,
): RouteStep[] {
  const staff = messageKinds[kind].audience === 'staff';
  const route = routeFor(settings, kind, staff);
  const start = after ? route.indexOf(after) + 1 : 0;
  const steps: RouteStep[] = [];
  let passed: string[] = firstReason ? [firstReason] : [];
  for (const channel of route.slice(start)) {
    const recipient = addressFor(channel, customer, staff);
    const passedOver = unreachable(channel, recipient, customer);
    if (passedOver) passed.push(passedOver);
    else {
      steps.push({ channel, recipient, fallbackReason: passed.length ? passed.join(';') : null });
      passed = [];
    }
  }
  return steps;
}

/** Why `channel` cannot carry the message to this recipient (`no_address:sms`, `opted_out:email`), or null. */
export function unreachable(channel: Channel, recipient: string, customer: Customer | null | undefined): string | null {
  if (!recipient) return `no_address:${channel}`;
  if (customer?.optedOutChannels.includes(channel)) return `opted_out:${channel}`;
  return null;
}

/** Why a message could go on none of `route`'s channels: the buyer opted out of one of them, or has no address. */
export function noChannelReason(route: Channel[], customer: Customer | null | undefined): MessageReason {
  return route.some((c) => customer?.optedOutChannels.includes(c)) ? 'opted_out' : 'no_recipient';
}
