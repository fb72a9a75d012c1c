import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { iso, orderCreated, orderPaid } from '../../../test/helpers/events';

type OrderView = {
  order_id: string;
  state: string;
  total: string;
  currency: string;
  buyer: { id: string; name: string; phone: string } | null;
  items: unknown[];
  placed_at: string;
  paid_at: string | null;
  events: { type: string; occurred_at: string; outcome: string }[];
  messages: unknown[];
};
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('Orders');
});

async function getOrder(orderId: string) {
  const res = await call(`/v1/orders/${encodeURIComponent(orderId)}`, { key: shop.api_key });
  expect(res.status).toBe(200);
  return (await res.json()) as OrderView;
}

describe('GET /v1/orders/{order_id}', () => {
  it('returns the paid order with buyer, items, total and its applied events', async () => {
    const orderId = `ord-${crypto.randomUUID()}`;
    const placed = Date.now() - 10 * 60_000;
    const paid = placed + 5 * 60_000;
    expect((await sendEvent(shop, orderCreated(orderId, placed))).status).toBe(202);
    expect((await sendEvent(shop, orderPaid(orderId, paid))).status).toBe(202);

    const order = await getOrder(orderId);
    expect(order).toMatchObject({
      order_id: orderId,
      state: 'paid',
      currency: 'CNY',
      total: '258.00',
      placed_at: iso(placed),
      paid_at: iso(paid),
      buyer: { id: 'buyer-1', name: '王小明', phone: '+8613800138000' },
      items: [{ sku: 'TEA-01', title: '明前龙井 250g', quantity: 2, unit_price: '129.00' }],
    });
    expect(order.events.map((e) => [e.type, e.occurred_at, e.outcome])).toEqual([
      ['order.created', iso(placed), 'applied'],
      ['order.paid', iso(paid), 'applied'],
    ]);
    expect(Array.isArray(order.messages)).toBe(true);
  });

  it('lists events in event-time order even when they arrived out of order', async () => {
    const orderId = `ord-late-${crypto.randomUUID()}`;
    const placed = Date.now() - 20 * 60_000;
    const paid = placed + 60_000;
    expect((await sendEvent(shop, orderPaid(orderId, paid))).status).toBe(202);
    expect((await sendEvent(shop, orderCreated(orderId, placed))).status).toBe(202);

    const order = await getOrder(orderId);
    expect(order.state).toBe('paid');
    expect(order.total).toBe('258.00');
    expect(order.events.map((e) => [e.type, e.outcome])).toEqual([
      ['order.created', 'stale'],
      ['order.paid', 'applied'],
    ]);
  });

  it('answers 404 not_found for an unknown order', async () => {
    const res = await call('/v1/orders/no-such-order', { key: shop.api_key });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('not_found');
  });

  it('answers 401 without a key or with an unknown key', async () => {
    const orderId = `ord-auth-${crypto.randomUUID()}`;
    await sendEvent(shop, orderCreated(orderId, Date.now()));
    for (const key of [undefined, 'obk_not_a_real_key']) {
      const res = await call(`/v1/orders/${orderId}`, { key });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('unauthorized');
    }
    expect((await getOrder(orderId)).state).toBe('created');
  });
});
