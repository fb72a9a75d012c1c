/**
 * A day at a Shanghai tea shop (2026-11-11, a Wednesday) that walks every flow: reminders sent,
 * cancelled by payment or cancellation, merged for one buyer, skipped for a phone already reminded,
 * deferred by the buyer's night into expiry; thank-yous by SMS and email; a parcel from shipping to
 * delivery with its notices and care message; a review request and a negative review.
 */
import { iso, orderCancelled, orderCreated, orderPaid, orderShipped, shipmentUpdated } from './events';

/** Local time on the shop's clock (UTC+8) on 2026-11-11, as an instant. */
export const local = (hhmm: string, day = 11) => new Date(`2026-11-${day}T${hhmm}:00+08:00`);

type Buyer = { id: string; phone?: string; email?: string; timezone?: string; locale?: string };
const buyer = (b: Buyer) => ({ name: '买家', locale: 'zh-CN', ...b });

export type DayEvent = { id: string; at: Date; body: unknown };

export function dayOfOrders(): DayEvent[] {
  const out: DayEvent[] = [];
  let n = 0;
  const add = (at: Date, body: unknown) => out.push({ id: `day-${++n}`, at, body });
  const created = (order: string, hhmm: string, b: Buyer) =>
    add(local(hhmm), orderCreated(order, local(hhmm).getTime(), { buyer: buyer(b) }));

  created('o-remind', '09:00', { id: 'b1', phone: '+8613800000001' });
  created('o-paid', '10:00', { id: 'b2', phone: '+8613800000002' });
  add(local('10:30'), orderPaid('o-paid', local('10:30').getTime()));
  created('o-night', '11:00', { id: 'b3', phone: '+12125550103', timezone: 'America/New_York' });
  created('o-merge-1', '12:00', { id: 'b4', phone: '+8613800000004' });
  created('o-merge-2', '12:05', { id: 'b4', phone: '+8613800000004' });
  created('o-cancel', '13:00', { id: 'b5', phone: '+8613800000005' });
  add(local('14:00'), orderCancelled('o-cancel', local('14:00').getTime()));
  created('o-late', '17:30', { id: 'b6', phone: '+8613800000006' });
  created('o-same-phone', '08:30', { id: 'b9', phone: '+8613800000001' });
  created('o-email', '09:10', { id: 'b8', email: 'b8@example.com' });
  add(local('09:20'), orderPaid('o-email', local('09:20').getTime()));

  created('o-parcel', '08:00', { id: 'b7', phone: '+8613800000007' });
  add(local('08:10'), orderPaid('o-parcel', local('08:10').getTime()));
  add(local('11:00'), orderShipped('o-parcel', local('11:00').getTime()));
  for (const [status, hhmm] of [
    ['in_transit', '13:00'],
    ['arrived_in_city', '14:00'],
    ['out_for_delivery', '15:00'],
    ['delivered', '15:30'],
  ] as const) {
    add(local(hhmm), shipmentUpdated('o-parcel', status, local(hhmm).getTime(), { location: '杭州' }));
  }
  add(local('19:00'), {
    type: 'review.created',
    timestamp: iso(local('19:00').getTime()),
    data: { order_id: 'o-parcel', rating: 2, content: '包装破了', created_at: iso(local('19:00').getTime()) },
  });
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
