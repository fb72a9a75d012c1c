/**
 * What every decision of the flow reads about one order: the shop and its
 * settings, the order and buyer, and the order's parcels in a stable order
 * (their position is the message step, so split parcels each get their notices).
 */
import type { Db } from '../../shared/db/client';
import { customerByKey, latestTrackingEvent, parcelsOfOrder } from '../../shared/db/reads';
import { orderAndShop } from '../../shared/orders/load';
import { type Customer, type Order, type Shipment, type Shop, type TrackingEvent } from '../../shared/db/schema';
import { audienceOf } from '../../shared/orders/buyer-history';
import { shipmentSettings, type ShipmentSettings } from '../../shared/shipping/settings';
import { trackingUrl } from '../../shared/shipping/carriers';
import { orderData } from '../../shared/templates/order-data';
import type { Audience } from '../../shared/templates/variants';

export type Parcel = { step: number; shipment: Shipment; latest: TrackingEvent | undefined };
export type OrderContext = {
  shop: Shop;
  settings: ShipmentSettings;
  order: Order | undefined;
  customer: Customer | null;
  locale: string;
  audience: Audience;
  parcels: Parcel[];
};

export async function loadContext(db: Db, shopId: string, orderId: string): Promise<OrderContext | undefined> {
  const [[order, shop], list] = await Promise.all([
    orderAndShop(db, shopId, orderId),
    parcelsOfOrder(db, shopId, orderId),
  ]);
  if (!shop) return undefined;
  const customer = order?.buyerId ? ((await customerByKey(db, shopId, order.buyerId)) ?? null) : null;
  const parcels = await Promise.all(
    list.map(async (shipment, step) => ({
      step,
      shipment,
      latest: await latestTrackingEvent(db, shopId, shipment.id),
    })),
  );
  return {
    shop,
    settings: shipmentSettings(shop.shipmentFollowups),
    order,
    customer,
    locale: customer?.locale ?? 'zh-CN',
    audience: order ? await audienceOf(db, order, customer) : { returning: false, persona: null },
    parcels,
  };
}

/** The template data of a parcel notice: the order's common values and the parcel's (empty when none yet). */
export function parcelData(ctx: OrderContext, parcel: Parcel | undefined, publicUrl: string) {
  const shipment = parcel?.shipment;
  const latest = parcel?.latest;
  const orderId = ctx.order?.id ?? shipment?.orderId ?? '';
  const order = ctx.order ?? { id: orderId, items: [], currency: null, total: null };
  const base = orderData({
    shop: ctx.shop,
    order,
    buyer: ctx.customer,
    returning: ctx.audience.returning,
    locale: ctx.locale,
  });
  return {
    ...base,
    order: { ...base.order, console_url: consoleUrl(publicUrl, orderId) },
    shipment: {
      id: shipment?.id ?? '',
      carrier: shipment?.carrier ?? '',
      tracking_number: shipment?.trackingNumber ?? '',
      tracking_url: shipment ? trackingUrl(shipment.carrier, shipment.trackingNumber) : '',
      status: shipment?.status ?? '',
      location: latest?.location ?? '',
      detail: latest?.detail ?? '',
    },
  };
}

/** The order's page in the staff console. */
export const consoleUrl = (publicUrl: string, orderId: string) =>
  `${publicUrl.replace(/\/$/, '')}/console/#/orders/${encodeURIComponent(orderId)}`;
