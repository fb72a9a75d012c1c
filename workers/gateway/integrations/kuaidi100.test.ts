/**
 * Kuaidi100 pushes on the real gateway and D1, replaying the published push samples
 * (test/fixtures/kuaidi100): the MD5 sign, the documented answers, repeats, the newest entry as
 * the event's detail, time and area, and advanced states.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import pushSample from '../../../test/fixtures/kuaidi100/push.json';
import advancedSample from '../../../test/fixtures/kuaidi100/push-resultv2.json';
import { createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { orderCreated, orderShipped } from '../../../test/helpers/events';
import { connect, KUAIDI100, kuaidi100Post } from '../../../test/helpers/integrations';

const ACCEPTED = { result: true, returnCode: '200', message: '成功' };
const rows = (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .all<Record<string, unknown>>()
    .then((r) => r.results);

/** A connected shop with order `o-k1` shipped as `number` (through the native intake). */
async function shopWithParcel(number: string): Promise<TestShop> {
  const shop = await createShop('Kuaidi100');
  await connect(shop, 'kuaidi100', KUAIDI100);
  const at = Date.parse('2012-08-26T00:00:00Z');
  await sendEvent(shop, orderCreated('o-k1', at));
  const shipped = orderShipped('o-k1', at + 3_600_000);
  await sendEvent(shop, { ...shipped, data: { ...shipped.data, carrier: '圆通速递', tracking_number: number } });
  return shop;
}

const withState = (param: typeof pushSample.param, state: string, statusCode?: string) => ({
  ...param,
  lastResult: {
    ...param.lastResult,
    state,
    data: param.lastResult.data.map((d, i) => (i === 0 && statusCode ? { ...d, statusCode } : d)),
  },
});

let shop: TestShop;
beforeAll(async () => {
  shop = await shopWithParcel('V030344422');
});

describe('Kuaidi100 pushes', () => {
  it('records the sample push on the parcel from its newest entry, and acknowledges as documented', async () => {
    const res = await kuaidi100Post(shop.shop_id, pushSample.param);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(ACCEPTED);
    expect(
      await rows('SELECT status, occurred_at, location, detail FROM tracking_events WHERE shop_id = ?', shop.shop_id),
    ).toEqual([
      {
        status: 'in_transit',
        occurred_at: Date.parse('2012-08-28T08:33:19Z'),
        location: '上海市',
        detail: '上海分拨中心出库',
      },
    ]);
    const [event] = await rows(
      "SELECT source, type, order_id, outcome FROM webhook_events WHERE shop_id = ? AND source = 'kuaidi100'",
      shop.shop_id,
    );
    expect(event).toEqual({ source: 'kuaidi100', type: 'shipment.updated', order_id: 'o-k1', outcome: 'recorded' });
    // The same push again: acknowledged, nothing new.
    expect(await (await kuaidi100Post(shop.shop_id, pushSample.param)).json()).toEqual(ACCEPTED);
    expect(
      await rows("SELECT id FROM webhook_events WHERE shop_id = ? AND source = 'kuaidi100'", shop.shop_id),
    ).toHaveLength(1);
  });

  it('refuses a wrong sign or a tampered param, storing nothing', async () => {
    const own = await shopWithParcel('V030344422');
    const wrongSalt = await kuaidi100Post(own.shop_id, pushSample.param, { salt: 'not-the-salt' });
    expect(wrongSalt.status).toBe(401);
    expect(await wrongSalt.json()).toMatchObject({ result: false });
    // The sample's own published sign was made with another salt.
    const published = await kuaidi100Post(own.shop_id, pushSample.param, { sign: pushSample.sign });
    expect(((await published.json()) as { result: boolean }).result).toBe(false);
    const signedText = JSON.stringify(pushSample.param);
    const sign = await (await import('../../../test/helpers/integrations')).md5UpperHex(signedText + KUAIDI100.salt);
    const tampered = await kuaidi100Post(own.shop_id, signedText.replace('上海市', '北京市'), { sign });
    expect(tampered.status).toBe(401);
    expect(await rows("SELECT id FROM webhook_events WHERE shop_id = ? AND source = 'kuaidi100'", own.shop_id)).toEqual(
      [],
    );
    expect(await rows('SELECT id FROM tracking_events WHERE shop_id = ?', own.shop_id)).toEqual([]);
    const unknownShop = await kuaidi100Post('shop_nope', pushSample.param);
    expect(unknownShop.status).toBe(404);
    expect(await unknownShop.json()).toMatchObject({ result: false });
  });

  it('maps state 5 (派件) to out for delivery and advanced sub-states to theirs', async () => {
    const own = await shopWithParcel('V030344422');
    await kuaidi100Post(own.shop_id, withState(pushSample.param, '5'));
    const arrived = withState(pushSample.param, '0', '1001');
    arrived.lastResult.data = [
      { ...arrived.lastResult.data[0]!, time: '2012-08-27 10:00:00', ftime: '2012-08-27 10:00:00' },
    ];
    await kuaidi100Post(own.shop_id, arrived);
    expect(
      await rows('SELECT status FROM tracking_events WHERE shop_id = ? ORDER BY occurred_at', own.shop_id),
    ).toEqual([{ status: 'arrived_in_city' }, { status: 'out_for_delivery' }]);
    // The newer status stays: the older arrival came later.
    expect((await rows('SELECT status FROM shipments WHERE shop_id = ?', own.shop_id))[0]).toEqual({
      status: 'out_for_delivery',
    });
  });

  it('reads the resultv2 sample (干线) and records a push for an unknown parcel as ignored', async () => {
    const own = await shopWithParcel('YT6186594166532');
    expect(await (await kuaidi100Post(own.shop_id, advancedSample)).json()).toEqual(ACCEPTED);
    expect(
      await rows('SELECT status, location, occurred_at FROM tracking_events WHERE shop_id = ?', own.shop_id),
    ).toEqual([{ status: 'in_transit', location: '江苏,苏州市', occurred_at: Date.parse('2021-12-15T12:15:14Z') }]);
    const stranger = { ...advancedSample, lastResult: { ...advancedSample.lastResult, nu: 'NOPE123' } };
    expect(await (await kuaidi100Post(own.shop_id, stranger)).json()).toEqual(ACCEPTED);
    const unknownState = withState(pushSample.param, '99');
    unknownState.lastResult.nu = 'YT6186594166532';
    expect(await (await kuaidi100Post(own.shop_id, unknownState)).json()).toEqual(ACCEPTED);
    const ignored = await rows(
      "SELECT type, payload FROM webhook_events WHERE shop_id = ? AND outcome = 'ignored' ORDER BY rowid",
      own.shop_id,
    );
    expect(ignored).toEqual([
      { type: 'kuaidi100:push', payload: JSON.stringify({ reason: 'unknown_parcel' }) },
      { type: 'shipment.updated', payload: JSON.stringify({ reason: 'status_unknown' }) },
    ]);
  });
});

describe('subscribing on shipment', () => {
  it('owes a subscription for each parcel of a connected shop, in the intake batch; none without Kuaidi100', async () => {
    const subscriptions = (shopId: string) =>
      rows(
        'SELECT carrier, tracking_number, company, status, due_at IS NOT NULL AS due, last_error FROM tracking_subscriptions WHERE shop_id = ? ORDER BY tracking_number',
        shopId,
      );
    const own = await shopWithParcel('YT0001');
    const shipped = orderShipped('o-k1', Date.now());
    await sendEvent(own, { ...shipped, data: { ...shipped.data, carrier: 'Pony Express', tracking_number: 'PX0002' } });
    // A repeated shipment of the same parcel owes nothing new.
    await sendEvent(own, { ...shipped, data: { ...shipped.data, carrier: '圆通速递', tracking_number: 'YT0001' } });
    expect(await subscriptions(own.shop_id)).toEqual([
      {
        carrier: 'Pony Express',
        tracking_number: 'PX0002',
        company: null,
        status: 'failed',
        due: 0,
        last_error: 'no Kuaidi100 company code for this carrier',
      },
      {
        carrier: '圆通速递',
        tracking_number: 'YT0001',
        company: 'yuantong',
        status: 'pending',
        due: 1,
        last_error: null,
      },
    ]);
    const bare = await createShop('No Kuaidi100');
    await sendEvent(bare, orderShipped('o-b1', Date.now()));
    expect(await subscriptions(bare.shop_id)).toEqual([]);
  });
});
