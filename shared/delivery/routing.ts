/**
 * Choosing the channel: walk the shop's route for the kind and take the first
 * channel the recipient can be reached on, recording why earlier ones were passed.
 */
import type { Channel, Customer } from '../db/schema';
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
    if (!recipient) passed.push(`no_address:${channel}`);
    else if (customer?.optedOutChannels.includes(channel)) passed.push(`opted_out:${channel}`);
    else {
      steps.push({ channel, recipient, fallbackReason: passed.length ? passed.join(';') : null });
      passed = [];
    }
  }
  return steps;
}
