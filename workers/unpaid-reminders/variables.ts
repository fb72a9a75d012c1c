/** The template variables of the two reminder kinds, computed at pass time so they tell the truth. */
import type { Customer, Shop } from '../../shared/db/schema';
import { orderData } from '../../shared/templates/order-data';
import { shipDayFor, shipDayLabel, shipDaySendBy, type ShipDay } from '../../shared/time/shipping';
import { TZDate } from '@date-fns/tz';
import type { ReminderOrder } from './orders';

function closeLabel(at: number, tz: string, zh: boolean): string {
  const d = new TZDate(at, tz);
  const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return zh ? `${d.getMonth() + 1}月${d.getDate()}日 ${hhmm}` : `${d.getMonth() + 1}/${d.getDate()} ${hhmm}`;
}

/**
 * What a reminder written at `now` says about the shop's shipping day, and until when that holds: the
 * same for every order of the shop, so a pass works it out once per shop (and the label once per locale).
 */
export type ShippingWords = { day: ShipDay; sendBy: Date; label: (locale: string) => string };

export function shippingWords(shop: Shop, now: Date): ShippingWords {
  const day = shipDayFor(now, shop);
  const labels = new Map<string, string>();
  return {
    day,
    sendBy: shipDaySendBy(day, now, shop.timezone),
    label(locale) {
      let label = labels.get(locale);
      if (label === undefined) {
        label = shipDayLabel(day, now, shop.timezone, locale);
        labels.set(locale, label);
      }
      return label;
    },
  };
}

export function reminderVariables(input: {
  shop: Shop;
  order: ReminderOrder;
  others: ReminderOrder[];
  customer: Customer | undefined;
  returning: boolean;
  locale: string;
  payUrlTemplate: string | null;
  /** `shippingWords(shop, now)` of the pass. */
  shipping: ShippingWords;
}) {
  const { shop, order, customer, locale, shipping } = input;
  const zh = locale.toLowerCase().startsWith('zh');
  const base = orderData({ shop, order, buyer: customer, returning: input.returning, locale });
  const payUrl = order.payUrl ?? input.payUrlTemplate?.replaceAll('{order_id}', encodeURIComponent(order.id)) ?? '';
  return {
    ...base,
    cutoff: { local_time: shop.shippingCutoff, ships_today: shipping.day.shipsToday },
    ship_day: { label: shipping.label(locale) },
    close: { local_time: order.autoCloseAt ? closeLabel(order.autoCloseAt, shop.timezone, zh) : '' },
    pay_url: payUrl,
    unpaid: { count: 1 + input.others.length, order_ids: [order.id, ...input.others.map((o) => o.id)] },
  };
}

/**
 * When the reminder's text stops being true (its send-by deadline): the unpaid reminder names the cutoff
 * or the ship day, so `shipDaySendBy` (`shipping.sendBy`); the pre-close reminder names the auto-close time.
 */
export function reminderSendBy(
  kind: 'unpaid_reminder' | 'preclose_reminder',
  order: ReminderOrder,
  shipping: ShippingWords,
): Date | undefined {
  if (kind === 'preclose_reminder') return order.autoCloseAt ? new Date(order.autoCloseAt) : undefined;
  return shipping.sendBy;
}
