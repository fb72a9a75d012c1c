/**
 * The flow registry: every flow with the webhook events it subscribes to, its message kinds, the
 * queue the intake notifies it on, and the timers it arms for itself. An exhaustive map like the
 * channel adapters': a flow without an entry, a kind missing from its flow's entry, or a kind
 * listed under the wrong flow fails to compile.
 */
import type { WebhookEventBody, WebhookEventType } from '../events/webhook';
import { messageKinds, type MessageKind } from '../templates/kinds';
import { flowNames, type Flow } from './names';

/**
 * `once`: the first event of the type arms the flow's trigger for the order; later ones of the
 * same type are recorded by the intake but arm nothing (a repeated `order.paid`). `each`: every
 * event re-arms it, and the flow reads whatever is new when it runs.
 */
export type Subscription = 'once' | 'each';

type EventOf<T extends WebhookEventType> = Extract<WebhookEventBody, { type: T }>;

/** A subscription with more to say than its mode. */
type Trigger<T extends WebhookEventType> = {
  mode: Subscription;
  /** The trigger's step; `on:<type>` unless named. Event types that name one step share one trigger. */
  step?: string;
  /** Only the events it passes arm the trigger: the others cannot change what the flow decides. */
  when?: (event: EventOf<T>) => boolean;
};

type Subscribes = { [T in WebhookEventType]?: Subscription | Trigger<T> };

/** The message kinds whose `flow` is F. */
export type KindsOf<F extends Flow> = {
  [K in MessageKind]: (typeof messageKinds)[K]['flow'] extends F ? K : never;
}[MessageKind];

/** The gateway's queue bindings that notify flows. */
export type FlowQueue = Extract<keyof Cloudflare.GatewayEnv, `${string}_QUEUE`>;

type SpecBase = {
  subscribes: Subscribes;
  queue: FlowQueue;
  /** The steps of the timers the flow arms itself (not event triggers). */
  timers: readonly string[];
};
export type FlowSpec<F extends Flow> = SpecBase & {
  /** Every kind of the flow, exactly: `true` for each. */
  kinds: { [K in KindsOf<F>]: true };
};

/** The one trigger of unpaid-reminders for every event that moves the order out of `created`. */
const UNPAID_STOP = 'on:order.moved-on';

export const flows = {
  'unpaid-reminders': {
    // Created arms the reminders; any later state stops them (decided once, in this flow). The
    // order never returns to `created`, so the first of these events is the only one with work to
    // do: they share one trigger, armed once.
    subscribes: {
      'order.created': 'once',
      'order.paid': { mode: 'once', step: UNPAID_STOP },
      'order.cancelled': { mode: 'once', step: UNPAID_STOP },
      'order.shipped': { mode: 'once', step: UNPAID_STOP },
      'order.completed': { mode: 'once', step: UNPAID_STOP },
      'order.refunded': { mode: 'once', step: UNPAID_STOP },
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
    // Delivery, completion, refunds and cases move the request (due, held, released); a review ends
    // it. Of the parcel's updates only a delivery can: the request's clock starts when every parcel
    // is delivered, and a delivery exception holds it only while the parcel is undelivered.
    subscribes: {
      'shipment.updated': { mode: 'each', when: (e) => e.data.status === 'delivered' },
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

/** The trigger step an event writes for a subscribed flow, unless its subscription names one. */
export const triggerStep = (type: WebhookEventType) => `on:${type}`;

export type Subscriber = { flow: Flow; mode: Subscription; step: string };

/** The flows whose triggers an event arms, each with its mode and step. */
export function subscribers(event: WebhookEventBody): Subscriber[] {
  const out: Subscriber[] = [];
  for (const flow of flowNames) {
    const spec: SpecBase = flows[flow];
    const entry = Object.hasOwn(spec.subscribes, event.type) ? spec.subscribes[event.type] : undefined;
    if (!entry) continue;
    if (typeof entry === 'string') {
      out.push({ flow, mode: entry, step: triggerStep(event.type) });
      continue;
    }
    const trigger = entry as Trigger<WebhookEventType>;
    if (trigger.when && !trigger.when(event as never)) continue;
    out.push({ flow, mode: trigger.mode, step: trigger.step ?? triggerStep(event.type) });
  }
  return out;
}
