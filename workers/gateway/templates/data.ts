/**
 * The data a preview renders with: the kind's catalogue samples, with a real
 * order's values laid over them when the request names one of the shop's
 * orders. Kind-specific values (cutoff, shipment, ...) still come from samples,
 * and the result lists which variables did.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../shared/db/client';
import { customers, orders, personas, type Persona, type Shop } from '../../../shared/db/schema';
import { isReturningBuyer } from '../../../shared/orders/buyer-history';
import { ApiError } from '../../../shared/http/errors';
import { catalogue, sampleData, setPath } from '../../../shared/templates/catalogue';
import type { MessageKind } from '../../../shared/templates/kinds';
import { orderData } from '../../../shared/templates/order-data';
import type { Audience } from '../../../shared/templates/variants';

type Data = Record<string, unknown>;
export type AudienceInput = { buyer?: 'new' | 'returning'; persona?: Persona };

export type PreviewData = {
  data: Data;
  /** The same with the catalogue's longest samples, for the segment lint. */
  longest: Data;
  audience: Audience;
  /** Seed of the variant draw: the order id, or a fixed one for sample data. */
  seed: string;
  /** Catalogue paths whose values are samples rather than the order's. */
  sampleVariables: string[];
};

const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `real` laid over `base`: real values win, nested objects merge, lists are replaced whole. */
function overlay(base: Data, real: Data): Data {
  const out: Data = { ...base };
  for (const [key, value] of Object.entries(real)) {
    if (value === undefined) continue;
    out[key] = isObject(value) && isObject(out[key]) ? overlay(out[key] as Data, value) : value;
  }
  return out;
}

const hasPath = (data: Data, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), data) !== undefined;

async function realData(d: Db, shop: Shop, orderId: string, locale: string): Promise<Data> {
  const order = await d.query.orders.findFirst({ where: and(eq(orders.shopId, shop.id), eq(orders.id, orderId)) });
  if (!order) throw new ApiError('not_found', 'No such order in this shop');
  const [buyer, returning] = await Promise.all([
    order.buyerId
      ? d.query.customers.findFirst({ where: and(eq(customers.shopId, shop.id), eq(customers.id, order.buyerId)) })
      : undefined,
    isReturningBuyer(d, order),
  ]);
  return orderData({ shop, order, buyer, returning, locale });
}

export async function previewData(
  d: Db,
  shop: Shop,
  input: { kind: MessageKind; locale: string; orderId?: string; audience?: AudienceInput },
): Promise<PreviewData> {
  const real: Data = input.orderId
    ? await realData(d, shop, input.orderId, input.locale)
    : { shop: { name: shop.name } };
  // A simulated audience is the caller's statement about the buyer, so it counts as real.
  if (input.audience?.buyer) setPath(real, 'buyer.returning', input.audience.buyer === 'returning');
  if (input.audience?.persona) setPath(real, 'buyer.persona', input.audience.persona);
  const data = overlay(sampleData(input.kind), real);
  const buyer = data.buyer as { returning?: unknown; persona?: unknown } | undefined;
  const persona = personas.find((p) => p === buyer?.persona) ?? null;
  return {
    data,
    longest: overlay(sampleData(input.kind, 'longest'), real),
    audience: { returning: buyer?.returning === true, persona },
    seed: input.orderId ?? 'preview',
    sampleVariables: catalogue[input.kind].map((v) => v.path).filter((path) => !hasPath(real, path)),
  };
}
