/**
 * The order state machine. States only move forward along
 *   created < paid < shipped < completed < cancelled < refunded
 * and an event is applied only when its (rank, event time) is greater than the
 * order's. That is a total order, so any arrival order of the same events ends
 * in the same state, and a late event never moves an order backwards. The
 * comparison itself runs in SQL, inside the intake's upsert, so that racing
 * events cannot undo each other.
 */
import type { OrderState } from '../db/schema';
import type { WebhookEventBody, WebhookEventType } from '../events/webhook';

export const stateRank: Record<OrderState, number> = {
  created: 0,
  paid: 1,
  shipped: 2,
  completed: 3,
  cancelled: 4,
  refunded: 5,
};

const targetState: Partial<Record<WebhookEventType, OrderState>> = {
  'order.created': 'created',
  'order.paid': 'paid',
  'order.shipped': 'shipped',
  'order.completed': 'completed',
  'order.cancelled': 'cancelled',
  'order.refunded': 'refunded',
};

/** The state an event moves its order to, or undefined for events that carry no state. */
export function stateOf(event: WebhookEventBody): OrderState | undefined {
  return targetState[event.type];
}
