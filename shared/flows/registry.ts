/**
 * The flow registry: every flow with the webhook events it subscribes to, its message kinds, the
 * queue the intake notifies it on, and the timers it arms for itself. An exhaustive map like the
 * channel adapters': a flow without an entry, a kind missing from its flow's entry, or a kind
 * listed under the wrong flow fails to compile.
 */
import type { WebhookEventType } from '../events/webhook';
import { messageKinds, type MessageKind } from '../templates/kinds';
import { flowNames, type Flow } from './names';

/**
 * `once`: the first event of the type arms the flow's trigger for the order; later ones of the
 * same type are recorded by the intake but arm nothing (a repeated `order.paid`). `each`: every
 * event re-arms it, and the flow reads whatever is new when it runs.
 */
export type Subscription = 'once' | 'each';

/** The message kinds whose `flow` is F. */
export type KindsOf<F extends Flow> = {
  [K in MessageKind]: (typeof messageKinds)[K]['flow'] extends F ? K : never;
}[MessageKind];

/** The gateway's queue bindings that notify flows. */
export type FlowQueue = Extract<keyof Cloudflare.GatewayEnv, `${string}_QUEUE`>;

type SpecBase = {
  subscribes: Partial<Record<WebhookEventType, Subscription>>;
  queue: FlowQueue;
  /** The steps of the timers the flow arms itself (not event triggers). */
  timers: readonly string[];
};
export type FlowSpec<F extends Flow> = SpecBase & {
  /** Every kind of the flow, exactly: `true` for each. */
  kinds: { [K in KindsOf<F>]: true };
};

export const flows = {
  'unpaid-reminders': {
    // Created arms the reminders; any later state stops them (decided once, in this flow).
    subscribes: {
      'order.created': 'once',
      'order.paid': 'once',
      'order.cancelled': 'once',
      'order.shipped': 'once',
      'order.completed': 'once',
      'order.refunded': 'once',
    },
    kinds: { unpaid_reminder: true, preclose_reminder: true },
    queue: 'UNPAID_REMINDERS_QUEUE',
    timers: ['reminder', 'preclose'],
  },
  'thank-you': {
    subscribes: { 'order.paid': 'once' },
    kinds: { thank_you: true, address_confirmation: true, address_correction: true },
    queue: 'THANK_YOU_QUEUE',
    timers: [],
  },
  'shipment-followups': {
    // Every parcel fact re-arms the flow: it reads what changed when it runs.
    subscribes: { 'order.shipped': 'each', 'shipment.updated': 'each' },
    kinds: {
      shipped: true,
      arrived_in_city: true,
      out_for_delivery: true,
      delivered: true,
      delivery_exception: true,
      shipment_stalled: true,
      holiday_delay_notice: true,
      delivery_exception_alert: true,
      shipment_stalled_alert: true,
    },
    queue: 'SHIPMENT_FOLLOWUPS_QUEUE',
    /** `care:<shipment id>` (the delivered care message) and `stall:<shipment id>` (the stall check). */
    timers: ['care:', 'stall:'],
  },
  'review-requests': {
    // Delivery, completion, refunds and cases move the request (due, held, released); a review ends it.
    subscribes: {
      'shipment.updated': 'each',
      'order.completed': 'once',
      'order.refunded': 'once',
      'review.created': 'each',
      'case.opened': 'each',
      'case.closed': 'each',
    },
    kinds: {
      review_request: true,
      review_reminder: true,
      negative_review_alert: true,
      negative_review_care: true,
      positive_review_thanks: true,
    },
    queue: 'REVIEW_REQUESTS_QUEUE',
    /** `request` and `reminder` per order; `alerts` per shop (order id ''), the grouped staff alert. */
    timers: ['request', 'reminder', 'alerts'],
  },
} as const satisfies { [F in Flow]: FlowSpec<F> };

/** The trigger step an event writes for a subscribed flow. */
export const triggerStep = (type: WebhookEventType) => `on:${type}`;

/** The flows subscribed to an event type, with how. */
export function subscribers(type: WebhookEventType): { flow: Flow; mode: Subscription }[] {
  const out: { flow: Flow; mode: Subscription }[] = [];
  for (const flow of flowNames) {
    const spec: SpecBase = flows[flow];
    const mode = Object.hasOwn(spec.subscribes, type) ? spec.subscribes[type] : undefined;
    if (mode) out.push({ flow, mode });
  }
  return out;
}
