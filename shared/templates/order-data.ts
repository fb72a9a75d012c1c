/**
 * The template data every buyer-facing kind shares (shop, buyer, order), built
 * from stored rows. Flows add their kind-specific values (cutoff, shipment, ...)
 * on top; a preview fills the rest from the catalogue's samples.
 */
import type { Customer, Order, Shop } from '../db/schema';
import { personaOf } from '../orders/buyer-history';

/**
 * Formatters by locale and currency: building an `Intl.NumberFormat` costs far more than formatting
 * with one (a pass formats every order's total and items). Bounded: locales and currencies come from
 * outside, so past MAX_FORMATTERS the map starts over. `null` records a pair that does not format.
 */
const formatters = new Map<string, Intl.NumberFormat | null>();
const MAX_FORMATTERS = 64;

function moneyFormatter(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}\u0000${currency}`;
  let found = formatters.get(key);
  if (found === undefined) {
    try {
      found = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      found = null;
    }
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, found);
  }
  return found;
}

/** "¥258.00"-style amount for the buyer's eyes; unknown currencies keep their code. */
export function formatMoney(
  amount: string | null | undefined,
  currency: string | null | undefined,
  locale = 'zh-CN',
): string {
  if (!amount) return '';
  const formatter = moneyFormatter(locale, currency ?? 'CNY');
  return formatter ? formatter.format(Number(amount)) : `${currency ?? ''} ${amount}`.trim();
}

export function orderData(input: {
  shop: Pick<Shop, 'name'>;
  order: Pick<Order, 'id' | 'items' | 'currency' | 'total'>;
  buyer?: Customer | null;
  returning?: boolean;
  locale?: string;
}) {
  const { order, buyer, locale } = input;
  const items = (order.items ?? []).map((item) => ({
    title: item.title,
    quantity: item.quantity,
    unit_price: formatMoney(item.unit_price, order.currency, locale),
  }));
  const persona = personaOf(buyer) ?? '';
  return {
    shop: { name: input.shop.name },
    buyer: { name: buyer?.name ?? '', returning: input.returning ?? false, persona },
    order: {
      id: order.id,
      total: formatMoney(order.total, order.currency, locale),
      item_count: items.reduce((n, item) => n + item.quantity, 0),
      first_item: items[0]?.title ?? '',
      items,
    },
  };
}
