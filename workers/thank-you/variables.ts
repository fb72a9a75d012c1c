/**
 * The thank-you's template data: the common shop/buyer/order values plus the
 * ship day from the shop's cutoff, the returning-buyer flag, the remote-region
 * note, the masked address and the signed address-confirmation link.
 */
import type { Db } from '../../shared/db/client';
import type { Customer, Order, Shop } from '../../shared/db/schema';
import { addressLinkToken, addressLinkUrl } from '../../shared/orders/address-link';
import { audienceOf } from '../../shared/orders/buyer-history';
import { matchRemoteRegion, remoteRegionNote, remoteRegions } from '../../shared/orders/remote-regions';
import { orderData } from '../../shared/templates/order-data';
import type { Audience } from '../../shared/templates/variants';
import { maskAddress } from '../../shared/text/mask';
import { shipDayFor, shipDayLabel } from '../../shared/time/shipping';
import { localDate } from '../../shared/time/zoned';

export type ThankYouInput = {
  shop: Shop;
  order: Order;
  customer: Customer | null;
  locale: string;
  /** Base URL of the gateway, which serves the address page. */
  publicUrl: string;
  /** The worker secret the link's MAC key is derived from. */
  linkSecret: string | undefined;
  now: Date;
};

/** Ship day and label: the text is read right after planning, so "today" means the planning day. */
export function shipDayValues(shop: Shop, paidAt: Date, now: Date, locale: string) {
  const day = shipDayFor(paidAt, shop);
  return {
    cutoff: { ships_today: day.date === localDate(now, shop.timezone) },
    ship_day: { label: shipDayLabel(day, now, shop.timezone, locale) },
  };
}

export async function thankYouData(
  db: Db,
  input: ThankYouInput,
): Promise<{ data: Record<string, unknown>; audience: Audience }> {
  const { shop, order, customer, locale, now } = input;
  // The one audience rule every flow uses (returning buyer, persona tag): shared/orders/buyer-history.ts.
  const audience = await audienceOf(db, order, customer);
  const common = orderData({ shop, order, buyer: customer, returning: audience.returning, locale });
  const region = matchRemoteRegion(order.shippingAddress, remoteRegions(shop.remoteRegions));
  const token = await addressLinkToken(input.linkSecret, { shopId: shop.id, orderId: order.id }, now);
  const data = {
    ...common,
    ...shipDayValues(shop, order.paidAt ?? now, now, locale),
    address: {
      summary: maskAddress(order.shippingAddress, locale)?.summary ?? '',
      confirm_url: addressLinkUrl(input.publicUrl, token),
    },
    region: {
      remote: region !== null,
      note: region ? remoteRegionNote(region, locale) : '',
      extra_days: region?.extra_days ?? 0,
    },
  };
  return { data, audience };
}
