/**
 * End to end through the real gateway: signed order.created + order.paid
 * webhooks, the job the intake queues, the thank-you planned from it, and the
 * row in the outbox with the right ship day on both sides of the 18:00
 * Asia/Shanghai cutoff, for new and returning buyers and remote regions.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/db/schema';
import type { DispatchJob } from '../../shared/delivery/plan';
import type { FlowJob } from '../../shared/events/flow-job';
import { orderCreated, orderPaid } from '../../test/helpers/events';
import { linkTargets } from '../../test/helpers/links';
import type { TestShop } from '../../test/helpers/gateway';
import {
  createShopThrough,
  gatewayBindings,
  gatewayFetch,
  messagesOf,
  orderRow,
  recorder,
  sendSigned,
  type Gateway,
} from '../../test/helpers/thank-you';
import { planThankYou } from './plan';

const MIN = 60_000;
let gw: Gateway;
let shop: TestShop;

beforeAll(async () => {
  gw = gatewayBindings();
  shop = await createShopThrough(gw);
});

/** Sends order.created then order.paid at `paidAt`; returns the one job the gateway queued. */
async function pay(orderId: string, paidAt: number, data: Record<string, unknown> = {}, s = shop) {
  gw.thankYou.sent.length = 0;
  expect((await sendSigned(gw, s, orderCreated(orderId, paidAt - 30 * MIN, data))).status).toBe(202);
  expect(gw.thankYou.sent).toEqual([]);
  expect((await sendSigned(gw, s, orderPaid(orderId, paidAt))).status).toBe(202);
  expect(gw.thankYou.sent).toEqual([{ flow: 'thank-you', shopId: s.shop_id, orderId, step: 'on:order.paid' }]);
  return gw.thankYou.sent.pop()!;
}

/** Plans the job 20 s after payment (the queue's usual delay) and returns the order's thank_you row. */
async function thankYou(job: FlowJob, paidAt: number): Promise<Message> {
  const queue = recorder<DispatchJob>();
  const outcome = await planThankYou(env, job, new Date(paidAt + 20_000), queue);
  expect(outcome.status).toBe('planned');
  const row = (await messagesOf(job.shopId, job.orderId)).find((m) => m.kind === 'thank_you')!;
  expect(queue.sent).toEqual([{ shopId: job.shopId, messageId: row.id }]);
  return row;
}

const body = (m: Message) => (m.rendered as { body: string }).body;
const buyer = (id: string, extra: Record<string, unknown> = {}) => ({
  buyer: { id, name: '王小明', phone: '+8613800138000', locale: 'zh-CN', ...extra },
});

describe('thank-you from signed webhooks', () => {
  it.each([
    ['17:59, before the cutoff', Date.parse('2026-03-02T09:59:00Z'), '今天', true, '宝贝今天就为您发出'],
    ['18:01, after the cutoff', Date.parse('2026-03-02T10:01:00Z'), '明天', false, '宝贝将于明天发出'],
  ])('paid on a Monday at %s: ships %s', async (_, paidAt, label, today, text) => {
    const orderId = `ty-cutoff-${paidAt}`;
    const m = await thankYou(await pay(orderId, paidAt, buyer(`b-${orderId}`)), paidAt);
    expect(m).toMatchObject({ status: 'queued', channel: 'sms', recipient: '+8613800138000', step: 0 });
    expect(m.expectsOrderState).toBe('paid');
    expect(m.data).toMatchObject({ cutoff: { ships_today: today }, ship_day: { label } });
    expect(body(m)).toContain(text);
    // The address link goes out short, on the gateway, and leads to the signed address page.
    expect(body(m)).toMatch(/请核对收货地址：http:\/\/127\.0\.0\.1:8787\/s\/[0-9A-Za-z]{8}$/);
    expect(await linkTargets(body(m))).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/a\/[\w-]+\.[\w-]+$/),
    ]);
    expect(m.data).toMatchObject({ address: { summary: '浙江省杭州市西湖区文三路****（王**）' } });
    expect((await orderRow(shop.shop_id, orderId))?.thankYouDueAt).toBeNull();
  });

  it("names the next shipping day in the buyer's language when the shop does not ship on Sunday", async () => {
    const res = await gatewayFetch(gw, '/v1/shop', {
      method: 'PATCH',
      key: shop.api_key,
      json: { non_shipping_days: ['sun'] },
    });
    expect(res.status).toBe(200);
    const paidAt = Date.parse('2026-02-28T10:30:00Z'); // Saturday 18:30 in Shanghai
    const m = await thankYou(await pay('ty-weekend', paidAt, buyer('b-weekend', { locale: 'en' })), paidAt);
    expect(m.data).toMatchObject({ cutoff: { ships_today: false }, ship_day: { label: 'Mon, Mar 2' } });
    expect(body(m)).toContain('Your parcel ships Mon, Mar 2.');
    await gatewayFetch(gw, '/v1/shop', { method: 'PATCH', key: shop.api_key, json: { non_shipping_days: [] } });
  });

  it('thanks a returning buyer differently from a first-time one, and picks the returning variant', async () => {
    const own = await createShopThrough(gw, '回头客小铺');
    const first = Date.parse('2026-03-02T02:00:00Z');
    const newcomer = await thankYou(await pay('ty-first', first, buyer('b-loyal'), own), first);
    expect(newcomer.data).toMatchObject({ buyer: { returning: false } });
    expect(body(newcomer)).toContain('感谢您及时付款！');
    const other = await thankYou(await pay('ty-other-shop', first + MIN, buyer('b-loyal')), first + MIN);
    expect(other.data).toMatchObject({ buyer: { returning: false } });

    await publishReturningVariant(own.shop_id);
    const again = first + 60 * MIN;
    const returning = await thankYou(await pay('ty-again', again, buyer('b-loyal'), own), again);
    expect(returning.data).toMatchObject({ buyer: { returning: true } });
    expect(returning.variant).toBe('welcome-back');
    expect(body(returning)).toBe('老朋友王小明，欢迎回来！宝贝今天发出。');
  });

  it('adds the remote-region note for Xinjiang by default, and follows the shop list once it has one', async () => {
    const at = Date.parse('2026-03-02T03:00:00Z');
    const xinjiang = {
      province: '新疆维吾尔自治区',
      city: '乌鲁木齐市',
      name: '王小明',
      country: 'CN',
      line1: '解放北路 1 号',
    };
    const remote = await thankYou(await pay('ty-xj', at, { ...buyer('b-xj'), shipping_address: xinjiang }), at);
    expect(remote.data).toMatchObject({ region: { remote: true, extra_days: 3 } });
    expect(body(remote)).toContain('新疆地区路途较远，物流约需 5-7 天，请耐心等待');

    const near = await thankYou(await pay('ty-hz', at, buyer('b-hz')), at);
    expect(near.data).toMatchObject({ region: { remote: false, note: '' } });
    expect(body(near)).not.toContain('物流约需');

    const regions = [{ match: '海南', note: '海南地区需要轮渡，物流约多 2 天', extra_days: 2 }];
    const patched = await gatewayFetch(gw, '/v1/shop', {
      method: 'PATCH',
      key: shop.api_key,
      json: { remote_regions: regions },
    });
    expect(((await patched.json()) as { remote_regions: unknown }).remote_regions).toEqual(regions);
    const hainan = { province: '海南省', city: '三亚市', name: '李四', country: 'CN', line1: '海棠湾 8 号' };
    const island = await thankYou(await pay('ty-hn', at, { ...buyer('b-hn'), shipping_address: hainan }), at);
    expect(body(island)).toContain('海南地区需要轮渡，物流约多 2 天');
    const again = await thankYou(await pay('ty-xj2', at, { ...buyer('b-xj2'), shipping_address: xinjiang }), at);
    expect(again.data).toMatchObject({ region: { remote: false } });
    await gatewayFetch(gw, '/v1/shop', { method: 'PATCH', key: shop.api_key, json: { remote_regions: null } });
  });
});

/** A published zh-CN SMS template whose `welcome-back` variant targets returning buyers. */
async function publishReturningVariant(shopId: string) {
  const now = Date.now();
  const version = `tv_${crypto.randomUUID()}`;
  const template = `tpl_${crypto.randomUUID()}`;
  const content = {
    parts: { body: '亲，感谢付款！' },
    variants: [
      {
        key: 'welcome-back',
        audience: { buyer: 'returning' },
        parts: { body: '老朋友{{ buyer.name }}，欢迎回来！宝贝{{ ship_day.label }}发出。' },
      },
    ],
  };
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO templates (id, shop_id, kind, channel, locale, published_version_id, created_at, updated_at)
       VALUES (?, ?, 'thank_you', 'sms', 'zh-CN', ?, ?, ?)`,
    ).bind(template, shopId, version, now, now),
    env.DB.prepare(
      `INSERT INTO template_versions (id, shop_id, template_id, version, status, content, created_at, published_at)
       VALUES (?, ?, ?, 1, 'published', ?, ?, ?)`,
    ).bind(version, shopId, template, JSON.stringify(content), now, now),
  ]);
}
