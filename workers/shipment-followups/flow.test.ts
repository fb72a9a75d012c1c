/**
 * The shipment follow-ups flow on real D1 with a controlled clock: the notice
 * each parcel status calls for (once per parcel and status), split parcels,
 * the exception alert and apology (the staff alert sent through the WeCom and
 * DingTalk adapters, exact requests), the send-time `superseded` check, and
 * the delivered care message held out of quiet hours.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { dingtalk } from '../../shared/channels/dingtalk';
import { contextWith, fakeFetch, json } from '../../shared/channels/lib/testing';
import type { OutboundMessage } from '../../shared/channels/types';
import { wecom } from '../../shared/channels/wecom';
import { db } from '../../shared/db/client';
import { messages, type Message } from '../../shared/db/schema';
import { checkPolicy } from '../../shared/delivery/policy';
import { deliverySettings } from '../../shared/delivery/settings';
import { arm } from '../../shared/flows/timers';
import { runTrigger } from '../../shared/flows/triggers';
import { seedCustomer, seedOrder, seedShop } from '../../test/helpers/seed';
import { recorder } from '../../test/helpers/queues';
import { runPass } from './pass';
import { shipmentHandler } from './triggers';
import { parcel, track } from './test-parcels';

const HOUR = 3_600_000;

async function setup(settings: Record<string, unknown> = {}) {
  const shop = await seedShop({ shipmentFollowups: settings });
  const buyer = await seedCustomer(shop.id);
  const order = await seedOrder(shop.id, buyer.id, { state: 'shipped', stateRank: 2 });
  return { shop, buyer, order };
}

async function runFlow(shopId: string, orderId: string, now = new Date()) {
  const key = { shopId, flow: 'shipment-followups' as const, orderId, step: 'on:shipment.updated' };
  await arm(db(env.DB), key, now, now, { rearm: true });
  return runTrigger(env, key, shipmentHandler(recorder()), now);
}

const timeline = (shopId: string, orderId: string): Promise<Message[]> =>
  db(env.DB).query.messages.findMany({
    where: and(eq(messages.shopId, shopId), eq(messages.orderId, orderId)),
    orderBy: (m, { asc }) => [asc(m.kind), asc(m.step)],
  });
const kinds = async (shopId: string, orderId: string) =>
  (await timeline(shopId, orderId)).map((m) => `${m.kind}:${m.step}:${m.status}${m.reason ? `:${m.reason}` : ''}`);
const body = (m: Message) => (m.rendered as { body: string }).body;

describe('parcel notices', () => {
  it('tells the buyer the carrier, tracking number and tracking link when the parcel ships', async () => {
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, { carrier: '顺丰速运', trackingNumber: 'SF1001' });
    expect(await runFlow(shop.id, order.id)).toEqual({ status: 'planned' });
    const [shipped] = await timeline(shop.id, order.id);
    expect(shipped).toMatchObject({ kind: 'shipped', step: 0, status: 'queued', channel: 'sms' });
    expect(body(shipped!)).toContain('顺丰速运');
    expect(body(shipped!)).toContain('SF1001');
    expect(shipped!.data).toMatchObject({
      shipment: { tracking_url: 'https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1001' },
    });
    // The same facts again change nothing.
    expect(await runFlow(shop.id, order.id)).toEqual({ status: 'unchanged' });
    expect(await kinds(shop.id, order.id)).toEqual(['shipped:0:queued']);
  });

  it('gives each of two parcels its own notices', async () => {
    const { shop, order } = await setup();
    await parcel(shop.id, order.id, { trackingNumber: 'P-1' });
    const second = await parcel(shop.id, order.id, { trackingNumber: 'P-2' });
    await track(second, 'arrived_in_city', Date.now() - HOUR, { location: '杭州市' });
    await runFlow(shop.id, order.id);
    expect(await kinds(shop.id, order.id)).toEqual([
      'arrived_in_city:1:queued',
      'shipped:0:queued',
      'shipped:1:queued',
    ]);
    const arrived = (await timeline(shop.id, order.id)).find((m) => m.kind === 'arrived_in_city')!;
    expect(body(arrived)).toContain('杭州市');
  });

  it('does not tell of a departure the buyer already received, and skips what the shop turned off', async () => {
    const { shop, order } = await setup({
      notices: {
        shipped: true,
        arrived_in_city: false,
        out_for_delivery: true,
        delivered: true,
        delivery_exception: true,
      },
    });
    const p = await parcel(shop.id, order.id, {});
    await track(p, 'arrived_in_city', Date.now() - 2 * HOUR);
    await runFlow(shop.id, order.id);
    expect(await kinds(shop.id, order.id)).toEqual(['shipped:0:queued']);
    await track(p, 'delivered', Date.now() - HOUR);
    const other = await seedOrder(shop.id, order.buyerId!, { state: 'shipped', stateRank: 2 });
    const late = await parcel(shop.id, other.id, {});
    await track(late, 'delivered', Date.now() - HOUR);
    await runFlow(shop.id, other.id);
    expect(await kinds(shop.id, other.id)).toEqual(['shipped:0:skipped:superseded']);
  });

  it('skips an out-for-delivery notice at send time once the parcel is delivered', async () => {
    const { shop, order, buyer } = await setup();
    const p = await parcel(shop.id, order.id, {});
    await track(p, 'out_for_delivery', Date.now() - HOUR);
    await runFlow(shop.id, order.id);
    const notice = (await timeline(shop.id, order.id)).find((m) => m.kind === 'out_for_delivery')!;
    const input = {
      message: notice,
      order,
      customer: buyer,
      shop,
      settings: deliverySettings(shop.delivery),
      now: new Date(),
    };
    expect(await checkPolicy(db(env.DB), input)).toEqual({ action: 'send' });
    await track(p, 'delivered', Date.now() - 60_000);
    expect(await checkPolicy(db(env.DB), input)).toEqual({ action: 'end', status: 'skipped', reason: 'superseded' });
  });
});

describe('delivery trouble', () => {
  it('alerts staff and apologises to the buyer once per parcel, never after delivery', async () => {
    const { shop, order } = await setup();
    const p = await parcel(shop.id, order.id, { carrier: '中通快递', trackingNumber: 'ZT9' });
    await track(p, 'attempt_failed', Date.now() - 2 * HOUR, { location: '杭州市', detail: '收件人拒收' });
    await runFlow(shop.id, order.id);
    await track(p, 'exception', Date.now() - HOUR, { detail: '包裹破损' });
    await runFlow(shop.id, order.id);
    expect(await kinds(shop.id, order.id)).toEqual([
      'delivery_exception:0:queued',
      'delivery_exception_alert:0:queued',
      'shipped:0:queued',
    ]);
    const [apology, alert] = await timeline(shop.id, order.id);
    expect(body(apology!)).toContain('非常抱歉');
    expect(body(apology!)).toContain('收件人拒收');
    expect(alert).toMatchObject({ channel: 'chat', recipient: 'staff', buyerId: null });
    expect(alert!.data).toMatchObject({
      order: { console_url: `http://127.0.0.1:8787/console/#/orders/${order.id}` },
      shipment: { carrier: '中通快递', tracking_number: 'ZT9', status: 'attempt_failed', location: '杭州市' },
      alert: { label: '收件人拒收' },
    });

    // The alert through the staff chat robots, exactly as each expects it.
    const message: OutboundMessage = {
      id: alert!.id,
      shopId: shop.id,
      orderId: order.id,
      kind: 'delivery_exception_alert',
      transactional: true,
      channel: 'chat',
      recipient: 'staff',
      rendered: alert!.rendered!,
      data: alert!.data ?? {},
    };
    const markdown = (alert!.rendered as { markdown: string }).markdown;
    expect(markdown).toContain('物流异常：订单');
    const weFetch = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    const key = '3f2b1c9e-1d2a-4c3b-9a8f-0e1d2c3b4a5f';
    await wecom.send(message, { key }, contextWith(weFetch));
    expect(weFetch.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`,
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } }),
      }),
    ]);
    const dingFetch = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    await dingtalk.send(message, { accessToken: 'tok1234567890abcd', secret: 'SECdingtalk' }, contextWith(dingFetch));
    const [ding] = dingFetch.requests;
    expect(ding!.url).toMatch(
      /^https:\/\/oapi\.dingtalk\.com\/robot\/send\?access_token=tok1234567890abcd&timestamp=\d+&sign=/,
    );
    expect(JSON.parse(ding!.body)).toMatchObject({
      msgtype: 'markdown',
      markdown: { text: expect.stringContaining('ZT9') },
    });

    // Delivered after all: no apology for a later hiccup of the same parcel.
    await track(p, 'delivered', Date.now() - 30 * 60_000);
    await runFlow(shop.id, order.id);
    expect((await kinds(shop.id, order.id)).filter((k) => k.startsWith('delivery_exception'))).toHaveLength(2);
  });
});

describe('the delivered care message', () => {
  it('comes after the configured delay and never in quiet hours', async () => {
    const { shop, order } = await setup({ delivered_care_delay_minutes: 60 });
    const p = await parcel(shop.id, order.id, {});
    // Delivered at 21:30 in Shanghai; the care message is due at 22:30, inside 21:00-08:00.
    const deliveredAt = Date.parse('2026-11-20T13:30:00Z');
    await track(p, 'delivered', deliveredAt);
    await runFlow(shop.id, order.id, new Date(deliveredAt + 60_000));
    const early = await runPass(envWith(), new Date(deliveredAt + 30 * 60_000), shop.id);
    expect(early.planned).toBe(0);
    const due = await runPass(envWith(), new Date(deliveredAt + 61 * 60_000), shop.id);
    expect(due).toMatchObject({ claimed: 1, planned: 1 });
    const care = (await timeline(shop.id, order.id)).find((m) => m.kind === 'delivered')!;
    expect(care.status).toBe('queued');
    expect(care.dueAt).toEqual(new Date('2026-11-21T00:00:00Z')); // 08:00 the next morning in Shanghai
    expect((await runPass(envWith(), new Date(deliveredAt + 2 * HOUR), shop.id)).claimed).toBe(0);
  });
});

function envWith() {
  const queue = recorder() as Queue;
  return { ...env, DISPATCH: queue, DISPATCH_SCHEDULED: queue };
}
