/** Maps a webhook event to the order and buyer columns it carries. */
import type { orders } from '../../../shared/db/schema';
import type { WebhookEventBody } from '../../../shared/events/webhook';
import type { OrderPayload } from '../../../shared/events/order';

type OrderInsert = Partial<typeof orders.$inferInsert>;
export type OrderValues = { order: OrderInsert; buyer?: OrderPayload['buyer'] };

const time = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

function details(data: Partial<OrderPayload>, at: Date): OrderInsert {
  const fields: OrderInsert = {
    buyerId: data.buyer?.id,
    currency: data.currency,
    total: data.total,
    items: data.items,
    shippingAddress: data.shipping_address,
    placedAt: time(data.created_at),
    autoCloseAt: time(data.auto_close_at),
    payUrl: data.pay_url,
  };
  const carriesDetails = Object.values(fields).some((v) => v !== undefined);
  return carriesDetails ? { ...fields, detailsAt: at } : {};
}

export function orderValues(event: WebhookEventBody): OrderValues {
  const at = new Date(event.timestamp);
  switch (event.type) {
    case 'order.created':
      return { order: details(event.data, at), buyer: event.data.buyer };
    case 'order.paid':
      return { order: { ...details(event.data, at), paidAt: new Date(event.data.paid_at) }, buyer: event.data.buyer };
    case 'order.cancelled':
      return { order: { cancelledAt: new Date(event.data.cancelled_at), cancelReason: event.data.reason } };
    case 'order.shipped':
      return { order: { shippedAt: new Date(event.data.shipped_at) } };
    case 'order.completed':
      return { order: { completedAt: new Date(event.data.completed_at) } };
    case 'order.refunded':
      return { order: { refundedAt: new Date(event.data.refunded_at) } };
    default:
      return { order: {} };
  }
}
