/**
 * Shopify webhook payloads as native contract events. The order id is Shopify's numeric order
 * `id` as a string; the buyer's phone is taken from the customer, the order, then the shipping
 * and billing addresses (Shopify often has it only on the shipping address) and normalised to
 * E.164. The result is checked against the contract schema by the shared intake, like any event.
 */
import type { WebhookEventType } from '../../../shared/events/webhook';
import { toE164 } from '../../../shared/integrations/phone';
import { shopifyStatus } from '../../../shared/integrations/statuses';
import type { Ignored } from '../webhooks/accept';

type Json = Record<string, unknown>;
export type Mapping = { event: { type: WebhookEventType; timestamp: string; data: Json } } | { ignored: Ignored };

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
const idOf = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);
const joined = (...parts: unknown[]) => parts.map(str).filter(Boolean).join(' ') || undefined;

function locale(value: unknown): string | undefined {
  const tag = str(value);
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

function address(a: Json) {
  const country = str(a.country_code);
  const name = str(a.name) ?? joined(a.first_name, a.last_name);
  const line1 = joined(a.address1, a.address2);
  if (!country || !name || !line1) return undefined;
  return {
    name,
    phone: toE164(a.phone, country),
    country,
    province: str(a.province),
    city: str(a.city),
    line1,
    postal_code: str(a.zip),
  };
}

/** The Order object of the contract from a Shopify order. */
export function orderOf(o: Json) {
  const customer = obj(o.customer);
  const shipping = obj(o.shipping_address);
  const billing = obj(o.billing_address);
  const orderId = idOf(o.id)!;
  const phone =
    toE164(customer.phone, str(shipping.country_code) ?? str(billing.country_code)) ??
    toE164(o.phone, str(shipping.country_code) ?? str(billing.country_code)) ??
    toE164(shipping.phone, str(shipping.country_code)) ??
    toE164(billing.phone, str(billing.country_code));
  const consent = obj(customer.email_marketing_consent).state;
  const items = Array.isArray(o.line_items) ? o.line_items.slice(0, 500).map(obj) : [];
  return {
    order_id: orderId,
    created_at: str(o.created_at),
    currency: str(o.currency),
    total: str(o.total_price),
    items: items.map((i) => ({
      sku: str(i.sku),
      title: str(i.title) ?? str(i.name),
      quantity: i.quantity,
      unit_price: str(i.price),
    })),
    buyer: {
      // A guest checkout has no customer: the order stands for its buyer.
      id: idOf(customer.id) ?? `order:${orderId}`,
      name: joined(customer.first_name, customer.last_name) ?? str(shipping.name),
      phone,
      email: str(o.email) ?? str(o.contact_email) ?? str(customer.email),
      locale: locale(o.customer_locale),
      marketing_consent: typeof consent === 'string' ? consent === 'subscribed' : undefined,
    },
    shipping_address: address(shipping),
  };
}

const event = (type: WebhookEventType, timestamp: unknown, data: Json): Mapping => ({
  event: { type, timestamp: str(timestamp) ?? '', data },
});
const ignore = (topic: string, reason: string, orderId?: string): Mapping => ({
  ignored: { type: `shopify:${topic}`, reason, orderId },
});

function shipmentUpdate(topic: string, orderId: string, parcel: { carrier?: string; number?: string }, f: Json) {
  const mapped = shopifyStatus(f.status);
  if ('ignored' in mapped) return ignore(topic, mapped.ignored, orderId);
  if (!parcel.number) return ignore(topic, 'unknown_parcel', orderId);
  const location = joined(f.city, f.province, f.country);
  return event('shipment.updated', f.happened_at ?? f.updated_at, {
    order_id: orderId,
    carrier: parcel.carrier ?? 'unknown',
    tracking_number: parcel.number,
    status: mapped.status,
    occurred_at: str(f.happened_at) ?? str(f.updated_at),
    location: location?.slice(0, 200),
    detail: str(f.message)?.slice(0, 1000),
  });
}

/** A parcel of the order the receiver looked up (fulfillment events carry no tracking number). */
export type KnownParcel = { carrier: string; trackingNumber: string };

/** Maps one delivery of `topic`. `parcels` are the order's known parcels, for fulfillment events. */
export function mapShopify(topic: string, body: Json, parcels: KnownParcel[] = []): Mapping {
  const orderId = idOf(topic.startsWith('orders/') ? body.id : body.order_id);
  if (!orderId) return ignore(topic, 'no_order_id');
  if (body.test === true) return ignore(topic, 'test_order', orderId);
  switch (topic) {
    case 'orders/create':
      return event('order.created', body.created_at, orderOf(body));
    case 'orders/paid':
      return event('order.paid', body.updated_at, { ...orderOf(body), paid_at: str(body.updated_at) });
    case 'orders/cancelled':
      return event('order.cancelled', body.cancelled_at, {
        order_id: orderId,
        cancelled_at: str(body.cancelled_at),
        reason: str(body.cancel_reason),
      });
    case 'fulfillments/create': {
      const number = str(body.tracking_number);
      if (!number) return ignore(topic, 'no_tracking_number', orderId);
      return event('order.shipped', body.created_at, {
        order_id: orderId,
        shipped_at: str(body.created_at),
        carrier: str(body.tracking_company) ?? 'unknown',
        tracking_number: number,
      });
    }
    case 'fulfillments/update':
      return shipmentUpdate(
        topic,
        orderId,
        { carrier: str(body.tracking_company), number: str(body.tracking_number) },
        { ...body, status: body.shipment_status },
      );
    case 'fulfillment_events/create': {
      // The event names its fulfillment, not the tracking number: only an order with one known parcel is unambiguous.
      const only = parcels.length === 1 ? parcels[0] : undefined;
      if (!only) return ignore(topic, parcels.length ? 'ambiguous_parcel' : 'unknown_parcel', orderId);
      return shipmentUpdate(topic, orderId, { carrier: only.carrier, number: only.trackingNumber }, body);
    }
    case 'refunds/create':
      return event('order.refunded', body.processed_at ?? body.created_at, {
        order_id: orderId,
        refunded_at: str(body.processed_at) ?? str(body.created_at),
      });
    default:
      return ignore(topic, 'topic_not_handled', orderId);
  }
}
