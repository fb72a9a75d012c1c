/**
 * Shopify webhooks on the real gateway and D1, replaying Shopify's published samples
 * (test/fixtures/shopify): verification over the raw body (tampered, wrong secret, rotation,
 * another store), dedupe on X-Shopify-Webhook-Id, the sample's quirks, every mapped topic, and
 * fulfillment events out of order.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import sample from '../../../test/fixtures/shopify/orders-create.json';
import sampleText from '../../../test/fixtures/shopify/orders-create.json?raw';
import fulfillment from '../../../test/fixtures/shopify/fulfillments-update.json';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { connect, SHOPIFY, shopifyPost } from '../../../test/helpers/integrations';

const ORDER = String(sample.id);
/** The sample as a live order: not a test order, not cancelled, with a reachable phone on the shipping address only. */
const live = (overrides: Record<string, unknown> = {}) => ({
  ...sample,
  test: false,
  cancelled_at: null,
  cancel_reason: null,
  shipping_address: { ...sample.shipping_address, phone: '(312) 345-6789' },
  ...overrides,
});

const rows = (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .all<Record<string, unknown>>()
    .then((r) => r.results);
const events = (shopId: string) =>
  rows(
    'SELECT webhook_id, source, type, order_id, outcome, payload FROM webhook_events WHERE shop_id = ? ORDER BY received_at, rowid',
    shopId,
  );

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('Shopify');
  await connect(shop, 'shopify', SHOPIFY);
});

describe('Shopify verification', () => {
  it('answers 401 to a tampered body, a wrong secret or a missing header, storing nothing', async () => {
    const own = await createShop('Shopify 401');
    await connect(own, 'shopify', SHOPIFY);
    const tampered = await shopifyPost(own.shop_id, 'orders/create', live(), {
      raw: JSON.stringify(live({ total_price: '1.00' })),
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe('signature_invalid');
    const wrong = await shopifyPost(own.shop_id, 'orders/create', live(), { secret: 'shpss_someone_else' });
    expect(wrong.status).toBe(401);
    const missing = await call(`/v1/integrations/shopify/${own.shop_id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' },
      body: JSON.stringify(live()),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('signature_missing');
    // Signed with the same app secret, but for another store the app is installed on.
    const otherStore = await shopifyPost(own.shop_id, 'orders/create', live(), { domain: 'other.myshopify.com' });
    expect(otherStore.status).toBe(401);
    expect(await events(own.shop_id)).toEqual([]);
    expect(await rows('SELECT id FROM orders WHERE shop_id = ?', own.shop_id)).toEqual([]);
  });

  it('answers 404 for an unknown shop or a shop without Shopify', async () => {
    expect((await shopifyPost('shop_nope', 'orders/create', live())).status).toBe(404);
    const bare = await createShop('No Shopify');
    expect((await shopifyPost(bare.shop_id, 'orders/create', live())).status).toBe(404);
  });

  it('accepts the previous client secret while a rotation lasts, and the new one', async () => {
    const own = await createShop('Shopify rotation');
    await connect(own, 'shopify', SHOPIFY);
    await connect(own, 'shopify', { ...SHOPIFY, client_secret: 'shpss_rotated_secret_2' });
    const old = await shopifyPost(own.shop_id, 'orders/create', live({ id: 1001 }));
    expect(old.status).toBe(200);
    const fresh = await shopifyPost(own.shop_id, 'orders/create', live({ id: 1002 }), {
      secret: 'shpss_rotated_secret_2',
    });
    expect(fresh.status).toBe(200);
    expect(
      (await shopifyPost(own.shop_id, 'orders/create', live({ id: 1003 }), { secret: 'shpss_never' })).status,
    ).toBe(401);
    // Rotating again drops the first secret.
    await connect(own, 'shopify', { ...SHOPIFY, client_secret: 'shpss_rotated_secret_3' });
    expect((await shopifyPost(own.shop_id, 'orders/create', live({ id: 1004 }))).status).toBe(401);
  });
});

describe('Shopify topics', () => {
  it('records the published sample (a cancelled test order) as ignored and creates no order', async () => {
    const res = await shopifyPost(shop.shop_id, 'orders/create', sample, { id: 'sample-1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ignored' });
    expect(await rows('SELECT id FROM orders WHERE shop_id = ? AND id = ?', shop.shop_id, ORDER)).toEqual([]);
    const [row] = await rows(
      'SELECT source, type, outcome, payload FROM webhook_events WHERE webhook_id = ?',
      'shopify:sample-1',
    );
    expect(row).toEqual({
      source: 'shopify',
      type: 'shopify:orders/create',
      outcome: 'ignored',
      payload: JSON.stringify({ reason: 'test_order' }),
    });
  });

  it('maps orders/create to order.created with the buyer where Shopify puts them, phone in E.164', async () => {
    const own = await createShop('Shopify create');
    await connect(own, 'shopify', SHOPIFY);
    const res = await shopifyPost(own.shop_id, 'orders/create', live(), { id: 'create-1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'accepted', event_id: expect.stringMatching(/^evt_/) });
    const [order] = await rows('SELECT * FROM orders WHERE shop_id = ?', own.shop_id);
    expect(order).toMatchObject({
      id: ORDER,
      state: 'created',
      currency: 'USD',
      total: '403.00',
      buyer_id: String(sample.customer.id),
    });
    expect(JSON.parse(order!.items as string)).toEqual([
      { sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, unit_price: '199.00' },
      { sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, unit_price: '199.00' },
    ]);
    expect(JSON.parse(order!.shipping_address as string)).toEqual({
      name: 'Steve Shipper',
      phone: '+13123456789',
      country: 'US',
      province: 'Kentucky',
      city: 'Shippington',
      line1: '123 Shipping Street',
      postal_code: '40003',
    });
    const [buyer] = await rows('SELECT * FROM customers WHERE shop_id = ?', own.shop_id);
    // The order and customer carry no phone: the shipping address's, normalised, is the buyer's.
    expect(buyer).toMatchObject({
      id: String(sample.customer.id),
      name: 'John Smith',
      phone: '+13123456789',
      email: 'jon@doe.ca',
      locale: 'en',
      marketing_consent: 0,
    });
    // Shopify's own sample phone "555-555-SHIP" is no phone: dropped, the order still accepted.
    const other = await shopifyPost(own.shop_id, 'orders/create', {
      ...live({ id: 77 }),
      shipping_address: sample.shipping_address,
    });
    expect(other.status).toBe(200);
    const [second] = await rows("SELECT shipping_address FROM orders WHERE shop_id = ? AND id = '77'", own.shop_id);
    expect(JSON.parse(second!.shipping_address as string).phone).toBeUndefined();
    const [timeline] = (
      (await (await call(`/v1/orders/${ORDER}`, { key: own.api_key })).json()) as { events: unknown[] }
    ).events;
    expect(timeline).toMatchObject({
      source: 'shopify',
      webhook_id: 'shopify:create-1',
      type: 'order.created',
      outcome: 'applied',
    });
  });

  it("keeps Shopify's 64-bit ids exact, as the sample's raw bytes carry them", async () => {
    const own = await createShop('Shopify ids');
    await connect(own, 'shopify', SHOPIFY);
    // The published bytes, made a live order; a JS number would round the ids to ...500 and ...950.
    const raw = sampleText.replace('"test": true', '"test": false');
    const res = await shopifyPost(own.shop_id, 'orders/create', JSON.parse(raw), { raw, hmacOf: raw });
    expect(res.status).toBe(200);
    expect(await rows('SELECT id, buyer_id FROM orders WHERE shop_id = ?', own.shop_id)).toEqual([
      { id: '820982911946154508', buyer_id: '115310627314723954' },
    ]);
  });

  it('dedupes on X-Shopify-Webhook-Id', async () => {
    const own = await createShop('Shopify dupes');
    await connect(own, 'shopify', SHOPIFY);
    expect(await (await shopifyPost(own.shop_id, 'orders/create', live(), { id: 'same' })).json()).toMatchObject({
      status: 'accepted',
    });
    const again = await shopifyPost(own.shop_id, 'orders/paid', live({ updated_at: '2022-04-06T09:00:00-04:00' }), {
      id: 'same',
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(await events(own.shop_id)).toHaveLength(1);
    expect((await rows('SELECT state FROM orders WHERE shop_id = ?', own.shop_id))[0]!.state).toBe('created');
    // An ignored delivery is deduplicated the same way.
    await shopifyPost(own.shop_id, 'products/update', { id: 5 }, { id: 'product-1' });
    expect(await (await shopifyPost(own.shop_id, 'products/update', { id: 5 }, { id: 'product-1' })).json()).toEqual({
      status: 'duplicate',
    });
  });

  it('maps paid, cancelled, refunds and fulfillments, arming the subscribed flows', async () => {
    const own = await createShop('Shopify topics');
    await connect(own, 'shopify', SHOPIFY);
    await shopifyPost(own.shop_id, 'orders/create', live());
    const paid = await shopifyPost(own.shop_id, 'orders/paid', live({ updated_at: '2022-04-06T08:19:03-04:00' }));
    expect(paid.status).toBe(200);
    const [order] = await rows('SELECT state, paid_at FROM orders WHERE shop_id = ?', own.shop_id);
    expect(order).toEqual({ state: 'paid', paid_at: Date.parse('2022-04-06T12:19:03Z') });
    const timers = await rows(
      'SELECT flow, step FROM flow_timers WHERE shop_id = ? AND flow = ?',
      own.shop_id,
      'thank-you',
    );
    expect(timers).toEqual([{ flow: 'thank-you', step: 'on:order.paid' }]);

    const shipped = await shopifyPost(own.shop_id, 'fulfillments/create', { ...fulfillment, status: 'success' });
    expect(await shipped.json()).toMatchObject({ status: 'accepted' });
    expect(
      await rows('SELECT order_id, carrier, tracking_number, shipped_at FROM shipments WHERE shop_id = ?', own.shop_id),
    ).toEqual([
      {
        order_id: ORDER,
        carrier: 'UPS',
        tracking_number: '1z827wk74630',
        shipped_at: Date.parse('2022-01-01T00:00:00Z'),
      },
    ]);
    const refund = {
      id: 509562969,
      order_id: sample.id,
      created_at: '2022-04-07T10:00:00-04:00',
      processed_at: '2022-04-07T10:00:00-04:00',
    };
    expect(await (await shopifyPost(own.shop_id, 'refunds/create', refund)).json()).toMatchObject({
      status: 'accepted',
    });
    const cancelled = live({ cancelled_at: '2022-04-08T08:09:03-04:00', cancel_reason: 'customer' });
    expect(await (await shopifyPost(own.shop_id, 'orders/cancelled', cancelled)).json()).toMatchObject({
      status: 'accepted',
    });
    const [after] = await rows(
      'SELECT refunded_at, cancelled_at, cancel_reason FROM orders WHERE shop_id = ?',
      own.shop_id,
    );
    expect(after).toEqual({
      refunded_at: Date.parse('2022-04-07T14:00:00Z'),
      cancelled_at: Date.parse('2022-04-08T12:09:03Z'),
      cancel_reason: 'customer',
    });
    const types = (await events(own.shop_id)).map((e) => `${e.source}:${e.type}:${e.outcome}`);
    expect(types).toEqual([
      'shopify:order.created:applied',
      'shopify:order.paid:applied',
      'shopify:order.shipped:applied',
      'shopify:order.refunded:applied',
      'shopify:order.cancelled:stale',
    ]);
  });

  it('keeps a parcel delivered when fulfillment events arrive out of order', async () => {
    const own = await createShop('Shopify order');
    await connect(own, 'shopify', SHOPIFY);
    // An event for a parcel not yet known (its fulfillment not yet received) is recorded, not guessed.
    const early = {
      id: 1,
      fulfillment_id: 123456,
      order_id: sample.id,
      status: 'in_transit',
      happened_at: '2022-01-02T10:00:00-05:00',
    };
    expect(await (await shopifyPost(own.shop_id, 'fulfillment_events/create', early)).json()).toEqual({
      status: 'ignored',
    });
    await shopifyPost(own.shop_id, 'fulfillments/create', fulfillment);
    const delivered = { ...fulfillment, shipment_status: 'delivered', updated_at: '2022-01-03T15:00:00-05:00' };
    expect(await (await shopifyPost(own.shop_id, 'fulfillments/update', delivered)).json()).toMatchObject({
      status: 'accepted',
    });
    // The older "in transit" event arrives last.
    const late = {
      ...early,
      id: 2,
      city: 'Louisville',
      province: 'Kentucky',
      country: 'US',
      message: 'Departed facility',
    };
    expect(await (await shopifyPost(own.shop_id, 'fulfillment_events/create', late)).json()).toMatchObject({
      status: 'accepted',
    });
    const [parcel] = await rows('SELECT status, status_at, delivered_at FROM shipments WHERE shop_id = ?', own.shop_id);
    expect(parcel).toEqual({
      status: 'delivered',
      status_at: Date.parse('2022-01-03T20:00:00Z'),
      delivered_at: Date.parse('2022-01-03T20:00:00Z'),
    });
    const tracking = await rows(
      'SELECT status, location, detail FROM tracking_events WHERE shop_id = ? ORDER BY occurred_at',
      own.shop_id,
    );
    expect(tracking).toEqual([
      { status: 'in_transit', location: 'Louisville Kentucky US', detail: 'Departed facility' },
      { status: 'delivered', location: null, detail: null },
    ]);
    // A fulfillment update without a shipment status says nothing: recorded and ignored.
    expect(await (await shopifyPost(own.shop_id, 'fulfillments/update', fulfillment)).json()).toEqual({
      status: 'ignored',
    });
    const ignored = (await events(own.shop_id))
      .filter((e) => e.outcome === 'ignored')
      .map((e) => JSON.parse(e.payload as string).reason);
    expect(ignored).toEqual(['unknown_parcel', 'status_unknown']);
  });
});
