/**
 * AfterShip tracking webhooks on the real gateway and D1, replaying the published sample
 * (test/fixtures/aftership): the HMAC over the raw body, dedupe on event_id, msg.tag mapping
 * with the latest checkpoint, and unknown parcels and tags recorded, not failed.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import sample from '../../../test/fixtures/aftership/tracking-update.json';
import { createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { orderCreated, orderShipped } from '../../../test/helpers/events';
import { AFTERSHIP, aftershipPost, connect } from '../../../test/helpers/integrations';

const NUMBER = sample.msg.tracking_number;
const rows = (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .all<Record<string, unknown>>()
    .then((r) => r.results);

async function shopWithParcel(): Promise<TestShop> {
  const shop = await createShop('AfterShip');
  await connect(shop, 'aftership', AFTERSHIP);
  const at = Date.parse('2021-01-02T08:52:54Z');
  await sendEvent(shop, orderCreated('o-a1', at));
  const shipped = orderShipped('o-a1', at + 60_000);
  await sendEvent(shop, { ...shipped, data: { ...shipped.data, carrier: 'USPS', tracking_number: NUMBER } });
  return shop;
}

let shop: TestShop;
beforeAll(async () => {
  shop = await shopWithParcel();
});

describe('AfterShip webhooks', () => {
  it('maps the sample to out for delivery with the latest checkpoint, once per event_id', async () => {
    const res = await aftershipPost(shop.shop_id, sample);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'accepted' });
    expect(
      await rows('SELECT status, occurred_at, location, detail FROM tracking_events WHERE shop_id = ?', shop.shop_id),
    ).toEqual([
      {
        status: 'out_for_delivery',
        occurred_at: Date.parse('2021-01-05T13:58:00Z'),
        location: 'PASADENA, CA 91101',
        detail: 'Out for Delivery',
      },
    ]);
    expect(await rows('SELECT carrier, status FROM shipments WHERE shop_id = ?', shop.shop_id)).toEqual([
      { carrier: 'USPS', status: 'out_for_delivery' },
    ]);
    const again = await aftershipPost(shop.shop_id, { ...sample, msg: { ...sample.msg, tag: 'Delivered' } });
    expect(await again.json()).toEqual({ status: 'duplicate' });
    const events = await rows(
      "SELECT webhook_id, source FROM webhook_events WHERE shop_id = ? AND source = 'aftership'",
      shop.shop_id,
    );
    expect(events).toEqual([{ webhook_id: `aftership:${sample.event_id}`, source: 'aftership' }]);
  });

  it('answers 401 to a tampered body or a wrong secret, storing nothing', async () => {
    const own = await shopWithParcel();
    const tampered = await aftershipPost(own.shop_id, sample, {
      raw: JSON.stringify({ ...sample, msg: { ...sample.msg, tag: 'Delivered' } }),
    });
    expect(tampered.status).toBe(401);
    const wrong = await aftershipPost(own.shop_id, sample, { secret: 'someone-elses-secret' });
    expect(wrong.status).toBe(401);
    expect(await rows("SELECT id FROM webhook_events WHERE shop_id = ? AND source = 'aftership'", own.shop_id)).toEqual(
      [],
    );
    expect(await rows('SELECT id FROM tracking_events WHERE shop_id = ?', own.shop_id)).toEqual([]);
  });

  it('records unknown parcels, unknown tags and other events as ignored', async () => {
    const own = await shopWithParcel();
    const ignored = async (body: unknown) =>
      expect(await (await aftershipPost(own.shop_id, body)).json()).toEqual({ status: 'ignored' });
    await ignored({ ...sample, event_id: 'e-1', msg: { ...sample.msg, tracking_number: 'UNKNOWN1' } });
    await ignored({ ...sample, event_id: 'e-2', msg: { ...sample.msg, tag: 'Teleported' } });
    await ignored({ ...sample, event_id: 'e-3', msg: { ...sample.msg, tag: 'Pending' } });
    await ignored({ ...sample, event_id: 'e-4', event: 'edd_revise' });
    const reasons = await rows(
      "SELECT payload FROM webhook_events WHERE shop_id = ? AND source = 'aftership' ORDER BY rowid",
      own.shop_id,
    );
    expect(reasons.map((r) => JSON.parse(r.payload as string).reason)).toEqual([
      'unknown_parcel',
      'status_unknown',
      'status_uninformative',
      'event_not_handled',
    ]);
    expect(await rows('SELECT id FROM tracking_events WHERE shop_id = ?', own.shop_id)).toEqual([]);
  });

  it('maps a returned-to-sender subtag to returned', async () => {
    const own = await shopWithParcel();
    const returned = {
      ...sample,
      event_id: 'e-ret',
      msg: { ...sample.msg, tag: 'Exception', subtag: 'Exception_011' },
    };
    expect(await (await aftershipPost(own.shop_id, returned)).json()).toMatchObject({ status: 'accepted' });
    expect(await rows('SELECT status FROM shipments WHERE shop_id = ?', own.shop_id)).toEqual([{ status: 'returned' }]);
  });
});
