import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { orderCreated, orderPaid, orderShipped, shipmentUpdated } from '../../../test/helpers/events';
import { db } from '../../../shared/db/client';
import type { WebhookEventBody } from '../../../shared/events/webhook';
import { intakeStatements, recordEvent } from './intake';

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('Intake');
});

const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;
const eventsFor = (shopId: string) => count('SELECT count(*) AS n FROM webhook_events WHERE shop_id = ?', shopId);
/** Records an event through the intake: the triggers it armed (the flows the gateway wakes), by flow name. */
let hook = 0;
async function record(own: TestShop, event: unknown) {
  const result = await recordEvent(env, own.shop_id, `wh-record-${++hook}`, event as WebhookEventBody);
  if (result.status !== 'accepted') throw new Error(`not accepted: ${result.status}`);
  return result.triggers.map((t) => [t.flow, t.step]).sort(([a], [b]) => a!.localeCompare(b!));
}
const ordersFor = (shopId: string) => count('SELECT count(*) AS n FROM orders WHERE shop_id = ?', shopId);

describe('webhook intake', () => {
  it('stores the event, the order and the buyer', async () => {
    const res = await sendEvent(shop, orderCreated('o-store', Date.now()));
    expect(res.status).toBe(202);
    const { event_id } = (await res.json()) as { event_id: string };
    const row = await env.DB.prepare('SELECT * FROM webhook_events WHERE id = ?').bind(event_id).first();
    expect(row).toMatchObject({
      shop_id: shop.shop_id,
      type: 'order.created',
      order_id: 'o-store',
      outcome: 'applied',
    });
    const order = await env.DB.prepare('SELECT * FROM orders WHERE shop_id = ? AND id = ?')
      .bind(shop.shop_id, 'o-store')
      .first();
    expect(order).toMatchObject({
      state: 'created',
      buyer_id: 'buyer-1',
      total: '258.00',
      currency: 'CNY',
      state_event_id: event_id,
    });
    const buyer = await env.DB.prepare('SELECT * FROM customers WHERE shop_id = ? AND id = ?')
      .bind(shop.shop_id, 'buyer-1')
      .first();
    expect(buyer).toMatchObject({ phone: '+8613800138000', locale: 'zh-CN', tags: '["koala"]' });
  });

  it('answers a repeated webhook-id with 200 duplicate and changes nothing', async () => {
    const own = await createShop('Dupes');
    const event = orderCreated('o-dup', Date.now());
    const first = await sendEvent(own, event, { id: 'msg_same' });
    expect(first.status).toBe(202);
    const again = await sendEvent(
      own,
      { ...event, type: 'order.paid', data: { order_id: 'o-dup', paid_at: event.timestamp } },
      { id: 'msg_same' },
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(await eventsFor(own.shop_id)).toBe(1);
    const state = await env.DB.prepare('SELECT state FROM orders WHERE shop_id = ?').bind(own.shop_id).first('state');
    expect(state).toBe('created');
  });

  it('keeps one intake row when the same delivery arrives concurrently', async () => {
    const own = await createShop('Concurrent');
    const event = orderCreated('o-race', Date.now());
    const timestamp = Math.floor(Date.now() / 1000);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => sendEvent(own, event, { id: 'msg_race', timestamp })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(await eventsFor(own.shop_id)).toBe(1);
  });

  it('returns validation errors with their paths and stores nothing', async () => {
    const own = await createShop('Invalid');
    const bad = orderCreated('o-bad', Date.now(), {
      buyer: { id: 'b', phone: '13800138000' },
      items: [{ title: '', quantity: 0, unit_price: '12,00' }],
      currency: 'yuan',
    });
    const res = await sendEvent(own, bad);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    const paths = body.error.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'data.buyer.phone',
        'data.items.0.title',
        'data.items.0.quantity',
        'data.items.0.unit_price',
        'data.currency',
      ]),
    );
    const unknownType = await sendEvent(own, {
      type: 'order.teleported',
      timestamp: new Date().toISOString(),
      data: {},
    });
    expect(unknownType.status).toBe(400);
    expect(((await unknownType.json()) as typeof body).error.details[0]!.path).toBe('type');
    expect(await eventsFor(own.shop_id)).toBe(0);
    expect(await ordersFor(own.shop_id)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM customers WHERE shop_id = ?', own.shop_id)).toBe(0);
  });

  it('rejects a body over 256 KB with 413', async () => {
    const big = orderCreated('o-big', Date.now(), {
      items: [{ title: 'x'.repeat(300 * 1024), quantity: 1, unit_price: '1.00' }],
    });
    const res = await sendEvent(shop, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const wrongType = await sendEvent(shop, orderCreated('o-text', Date.now()), {
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const notJson = await sendEvent(shop, null, { rawBody: 'order_id=1&total=2' });
    expect(notJson.status).toBe(415);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('answers 404 for an unknown shop', async () => {
    const res = await sendEvent({ ...shop, shop_id: 'shop_missing' }, orderCreated('o-x', Date.now()));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('shop_not_found');
  });

  it('records events that carry no order state without creating an order', async () => {
    const own = await createShop('Reviews');
    const review = {
      type: 'review.created',
      timestamp: new Date().toISOString(),
      data: { order_id: 'o-rev', rating: 2, created_at: new Date().toISOString() },
    };
    const res = await sendEvent(own, review);
    expect(res.status).toBe(202);
    expect(
      await env.DB.prepare('SELECT outcome FROM webhook_events WHERE shop_id = ?').bind(own.shop_id).first('outcome'),
    ).toBe('recorded');
    expect(await ordersFor(own.shop_id)).toBe(0);
  });

  it('creates the order from order.paid when order.created has not arrived yet', async () => {
    const own = await createShop('Paid first');
    const t = Date.parse('2026-11-20T10:00:00Z');
    expect((await sendEvent(own, orderPaid('o-early', t + 60_000))).status).toBe(202);
    expect((await sendEvent(own, orderCreated('o-early', t))).status).toBe(202);
    const res = await call('/v1/orders/o-early', { key: own.api_key });
    const order = (await res.json()) as {
      state: string;
      total: string;
      buyer: { id: string };
      events: { type: string; outcome: string }[];
    };
    expect(order.state).toBe('paid');
    // The late order.created does not move the state back, but its details fill the gaps.
    expect(order.total).toBe('258.00');
    expect(order.buyer.id).toBe('buyer-1');
    expect(order.events.map((e) => [e.type, e.outcome])).toEqual([
      ['order.created', 'stale'],
      ['order.paid', 'applied'],
    ]);
  });
});

describe('flow triggers armed at intake', () => {
  it('arms the thank-you on the first payment only', async () => {
    const own = await createShop('Thank-you trigger');
    const t = Date.now();
    await sendEvent(own, orderCreated('o-ty', t - 60_000));
    const armed = () =>
      env.DB.prepare(
        "SELECT max(due_at) AS due FROM flow_timers WHERE shop_id = ? AND order_id = ? AND flow = 'thank-you'",
      )
        .bind(own.shop_id, 'o-ty')
        .first<{ due: number | null }>();
    expect((await armed())!.due).toBeNull();
    await sendEvent(own, orderPaid('o-ty', t));
    expect((await armed())!.due).toBeGreaterThan(t - 5_000);
    // The flow clears it once planned; a repeated order.paid must not arm it again.
    await env.DB.prepare("UPDATE flow_timers SET due_at = NULL WHERE shop_id = ? AND flow = 'thank-you'")
      .bind(own.shop_id)
      .run();
    await sendEvent(own, orderPaid('o-ty', t + 1_000));
    expect((await armed())!.due).toBeNull();
  });

  it("arms every subscriber of an event in one statement: an 'each' flow again, a 'once' flow only once", async () => {
    const own = await createShop('Subscribers');
    const t = Date.now();
    const shipped = orderShipped('o-arms', t);
    const { statements } = intakeStatements(db(env.DB), own.shop_id, 'wh-arms', shipped as never, {
      eventId: 'evt_arms',
      now: new Date(t),
    });
    expect(statements.filter((s) => /flow_timers/i.test(s.sql))).toHaveLength(1);

    await record(own, orderCreated('o-arms', t - 60_000));
    expect(await record(own, shipped)).toEqual([
      ['shipment-followups', 'on:order.shipped'],
      ['unpaid-reminders', 'on:order.moved-on'],
    ]);
    const trigger = `SELECT due_at AS due FROM flow_timers
      WHERE shop_id = ? AND order_id = 'o-arms' AND flow = ? AND step = ?`;
    const timerOf = (flow: string, step: string) =>
      env.DB.prepare(trigger).bind(own.shop_id, flow, step).first<{ due: number | null }>();
    expect((await timerOf('shipment-followups', 'on:order.shipped'))!.due).toBeGreaterThan(t - 5_000);
    expect((await timerOf('unpaid-reminders', 'on:order.moved-on'))!.due).toBeGreaterThan(t - 5_000);
    // Both flows ran their triggers; a second parcel's order.shipped arms and wakes the 'each' flow only.
    await env.DB.prepare("UPDATE flow_timers SET due_at = NULL WHERE shop_id = ? AND order_id = 'o-arms'")
      .bind(own.shop_id)
      .run();
    expect(await record(own, orderShipped('o-arms', t + 1_000))).toEqual([['shipment-followups', 'on:order.shipped']]);
    expect((await timerOf('shipment-followups', 'on:order.shipped'))!.due).toBeGreaterThan(t - 5_000);
    expect((await timerOf('unpaid-reminders', 'on:order.moved-on'))!.due).toBeNull();
  });

  it('stops the unpaid reminders with one trigger, whichever event moves the order on first', async () => {
    const own = await createShop('Moved on');
    const t = Date.now();
    await record(own, orderCreated('o-mv', t - 60_000));
    expect(await record(own, orderPaid('o-mv', t))).toEqual([
      ['thank-you', 'on:order.paid'],
      ['unpaid-reminders', 'on:order.moved-on'],
    ]);
    // Still pending or already run, the stop trigger is there: shipping wakes only the parcel flow,
    // and a repeated payment wakes nothing.
    expect(await record(own, orderShipped('o-mv', t + 1_000))).toEqual([['shipment-followups', 'on:order.shipped']]);
    expect(await record(own, orderPaid('o-mv', t + 2_000))).toEqual([]);
    const steps = await env.DB.prepare(
      "SELECT step FROM flow_timers WHERE shop_id = ? AND order_id = 'o-mv' AND flow = 'unpaid-reminders' ORDER BY step",
    )
      .bind(own.shop_id)
      .all<{ step: string }>();
    expect(steps.results.map((r) => r.step)).toEqual(['on:order.created', 'on:order.moved-on']);
  });

  it("wakes the review flow on a delivery only, not on the parcel's other updates", async () => {
    const own = await createShop('Parcel updates');
    const t = Date.now();
    await record(own, orderCreated('o-pu', t - 60_000));
    await record(own, orderShipped('o-pu', t - 30_000));
    const reviewTimers = () =>
      count(
        "SELECT count(*) AS n FROM flow_timers WHERE shop_id = ? AND order_id = 'o-pu' AND flow = 'review-requests'",
        own.shop_id,
      );
    for (const status of ['in_transit', 'arrived_in_city', 'out_for_delivery', 'exception']) {
      expect(await record(own, shipmentUpdated('o-pu', status, t - 20_000))).toEqual([
        ['shipment-followups', 'on:shipment.updated'],
      ]);
    }
    expect(await reviewTimers()).toBe(0);
    expect(await record(own, shipmentUpdated('o-pu', 'delivered', t - 10_000))).toEqual([
      ['review-requests', 'on:shipment.updated'],
      ['shipment-followups', 'on:shipment.updated'],
    ]);
    expect(await reviewTimers()).toBe(1);
  });
});

describe('buyer consent', () => {
  it('records marketing consent when the webhook carries it, and keeps it when a later event does not', async () => {
    const own = await createShop('Consent');
    const consent = () =>
      env.DB.prepare('SELECT marketing_consent AS c FROM customers WHERE shop_id = ? AND id = ?')
        .bind(own.shop_id, 'buyer-c')
        .first<{ c: number }>();
    const t = Date.now();
    await sendEvent(own, orderCreated('o-c1', t - 2000, { buyer: { id: 'buyer-c', phone: '+8613800138001' } }));
    expect((await consent())!.c).toBe(0);
    await sendEvent(own, orderCreated('o-c2', t - 1000, { buyer: { id: 'buyer-c', marketing_consent: true } }));
    expect((await consent())!.c).toBe(1);
    await sendEvent(own, orderCreated('o-c3', t, { buyer: { id: 'buyer-c' } }));
    expect((await consent())!.c).toBe(1);
  });
});

describe("the buyer's clock from the order", () => {
  const clockOf = (buyerId: string) =>
    env.DB.prepare('SELECT timezone, timezone_source FROM customers WHERE shop_id = ? AND id = ?')
      .bind(shop.shop_id, buyerId)
      .first();
  const usAddress = { name: 'Ann', country: 'US', province: 'WA', city: 'Seattle', line1: '1 Pike St' };

  it('stores the address zone for a US buyer (state), and keeps it when a later event says nothing', async () => {
    const buyer = { id: 'b-us', name: 'Ann', phone: '+12125550123' };
    const t = Date.now();
    expect((await sendEvent(shop, orderCreated('o-us', t, { buyer, shipping_address: usAddress }))).status).toBe(202);
    expect(await clockOf('b-us')).toEqual({ timezone: 'America/Los_Angeles', timezone_source: 'address' });
    // A later order without an address: the phone's country says New York; an explicit zone wins over both.
    await sendEvent(shop, orderCreated('o-us-2', t + 1000, { buyer, shipping_address: undefined }));
    expect(await clockOf('b-us')).toEqual({ timezone: 'America/New_York', timezone_source: 'phone' });
    await sendEvent(shop, orderCreated('o-us-3', t + 2000, { buyer: { ...buyer, timezone: 'America/Denver' } }));
    expect(await clockOf('b-us')).toEqual({ timezone: 'America/Denver', timezone_source: 'buyer' });
    await sendEvent(shop, orderCreated('o-us-4', t + 3000, { buyer: { id: 'b-us' }, shipping_address: undefined }));
    expect(await clockOf('b-us')).toEqual({ timezone: 'America/Denver', timezone_source: 'buyer' });
  });

  it('refuses a buyer.timezone that is not an IANA zone, storing nothing', async () => {
    const res = await sendEvent(
      shop,
      orderCreated('o-tz-bad', Date.now(), { buyer: { id: 'b-bad', timezone: 'EST+5' } }),
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('buyer.timezone');
    expect(await clockOf('b-bad')).toBeNull();
  });
});
