import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { orderCreated, orderPaid } from '../../../test/helpers/events';
import { draft, issueKey, previewOf, publish, sms } from '../../../test/helpers/templates';

type Preview = {
  rendered: Record<string, string>;
  variant: string;
  source: string;
  version: number | null;
  sms?: {
    encoding: string;
    characters: number;
    units: number;
    segments: number;
    per_segment: number;
    signature: string | null;
    cost: { amount: string; currency: string } | null;
  };
  warnings: { code: string; message: string; part: string; line: number; column: number }[];
  sample_variables: string[];
};

let shop: TestShop;
let key: string;
beforeAll(async () => {
  shop = await createShop('茶小铺');
  // read as well: some previews use a real order's values.
  key = (await issueKey(shop, ['templates', 'read'])).key;
  const res = await call('/v1/shop', { method: 'PATCH', key: shop.api_key, json: { sms_signature: '茶小铺' } });
  expect(res.status).toBe(200);
});

const render = async (body: Record<string, unknown>) => {
  const res = await previewOf(key, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Preview;
};
const zhSms = (kind: string, body: string, extra: Record<string, unknown> = {}) =>
  render({ kind, channel: 'sms', locale: 'zh-CN', document: sms(body), ...extra });
const buyer = (id: string, name: string) => ({ id, name, phone: '+8613900139000', locale: 'zh-CN', tags: ['owl'] });

describe('preview with sample data', () => {
  it('warns a promotional zh SMS without 拒收请回复R and counts the signature', async () => {
    const out = await zhSms('review_request', '{{ buyer.name }}您好，邀您评价本次购物：{{ review_url }}');
    // The link shows as the short link it will be sent as, so the count is the real one.
    expect(out.rendered.body).toBe(`【茶小铺】王小明您好，邀您评价本次购物：${env.PUBLIC_URL}/s/XXXXXXXX`);
    expect(out.warnings.map((w) => w.code)).toEqual(['missing_opt_out']);
    const chars = [...out.rendered.body!].length;
    expect(out.sms).toEqual({
      encoding: 'UCS-2',
      characters: chars,
      units: chars,
      segments: 1,
      per_segment: 70,
      signature: '【茶小铺】',
      cost: null, // the shop set no sms_price
    });
    expect(out.variant).toBe('base');
    expect(out.source).toBe('document');

    const fixed = await zhSms('review_request', '{{ buyer.name }}您好，邀您评价本次购物：{{ review_url }} 拒收请回复R');
    expect(fixed.warnings).toEqual([]);
  });

  it('pushes a 66-character body to two segments once the 5-character signature is added', async () => {
    const out = await zhSms('shipped', '订'.repeat(66));
    expect(out.sms).toMatchObject({ characters: 71, segments: 2, per_segment: 67 });
    expect(out.warnings.map((w) => w.code)).toEqual(['over_segment_budget']);
    expect((await zhSms('shipped', '订'.repeat(66), { segment_budget: 2 })).warnings).toEqual([]);
  });

  it('warns when the longest realistic values would take another segment', async () => {
    const out = await zhSms('shipped', `${'订'.repeat(55)}{{ shipment.location }}`);
    expect(out.sms!.segments).toBe(1);
    expect(out.warnings.map((w) => w.code)).toEqual(['variable_may_overflow']);
  });

  it('flags marketing in a transactional email, reading the subject too', async () => {
    const out = await render({
      kind: 'shipped',
      channel: 'email',
      locale: 'zh-CN',
      document: {
        parts: { subject: '已发货，下单再享优惠', html: '<p>{{ buyer.name }}</p>', text: '{{ buyer.name }}您好' },
      },
    });
    expect(out.sms).toBeUndefined();
    expect(out.rendered).toEqual({ subject: '已发货，下单再享优惠', html: '<p>王小明</p>', text: '王小明您好' });
    expect(out.warnings.map((w) => w.code)).toEqual(['promotional_in_transactional']);
    // The position is the server's: the word in the subject (优惠 is its 9th character).
    expect(out.warnings[0]).toMatchObject({ part: 'subject', line: 1, column: 9 });
  });

  it('places each warning in the source: a named word at its line and column, a missing opt-out at the end', async () => {
    const source = '{{ buyer.name }}您好，\n邀您评价本次购物，\n好评返现优惠券：{{ review_url }}';
    const out = await zhSms('review_request', source);
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: 'promotional_in_transactional', part: 'body', line: 3, column: 5 }),
      expect.objectContaining({ code: 'missing_opt_out', part: 'body', line: 3, column: 25 }),
    ]);
    // A word that came from the order data, not the source, is placed at the end of the text.
    const fromData = await render({
      kind: 'shipped',
      channel: 'sms',
      locale: 'en',
      document: sms('Hi {{ "Dea" | append: "ls" }}'),
    });
    expect(fromData.warnings).toEqual([
      expect.objectContaining({ code: 'promotional_in_transactional', part: 'body', line: 1, column: 30 }),
    ]);
  });

  it("uses the shop's real name and marks every other variable as a sample", async () => {
    const out = await zhSms('shipped', '{{ shop.name }}：{{ buyer.name }}');
    expect(out.rendered.body).toBe('【茶小铺】茶小铺：王小明');
    expect(out.sample_variables).toContain('buyer.name');
    expect(out.sample_variables).not.toContain('shop.name');
  });
});

describe('preview with a real order of the shop', () => {
  it("renders the order's values and says which variables came from samples", async () => {
    const orderId = `ord-${crypto.randomUUID()}`;
    const event = orderCreated(orderId, Date.now(), { total: '99.50', buyer: buyer('buyer-lei', '李雷') });
    expect((await sendEvent(shop, event)).status).toBe(202);
    const out = await zhSms(
      'unpaid_reminder',
      '{{ buyer.name }}，订单 {{ order.id }} 共 {{ order.total }}（{{ order.first_item }}），{{ cutoff.local_time }}前付款：{{ pay_url }} 拒收请回复R',
      { order_id: orderId },
    );
    expect(out.rendered.body).toBe(
      `【茶小铺】李雷，订单 ${orderId} 共 ¥99.50（明前龙井 250g），18:00前付款：${env.PUBLIC_URL}/s/XXXXXXXX 拒收请回复R`,
    );
    expect(out.sample_variables).toEqual(expect.arrayContaining(['cutoff.local_time', 'pay_url', 'ship_day.label']));
    expect(out.sample_variables).not.toEqual(expect.arrayContaining(['buyer.name']));
    expect(out.sample_variables.filter((v) => v.startsWith('order.') || v.startsWith('buyer.'))).toEqual([]);
  });

  it("answers 404 for another shop's order", async () => {
    const other = await createShop('Other');
    const orderId = `ord-${crypto.randomUUID()}`;
    expect((await sendEvent(other, orderCreated(orderId, Date.now()))).status).toBe(202);
    const res = await previewOf(key, { kind: 'shipped', channel: 'sms', locale: 'zh-CN', order_id: orderId });
    expect(res.status).toBe(404);
  });
});

describe('variants', () => {
  const document = sms('{{ buyer.name }}您好，您的包裹已发出。', {
    variants: [
      {
        key: 'welcome_back',
        audience: { buyer: 'returning' },
        parts: { body: '{{ buyer.name }}，欢迎回来！包裹已发出。' },
      },
      {
        key: 'owl',
        audience: { persona: 'owl' },
        parts: { body: '{{ buyer.name }}：单号 {{ shipment.tracking_number }}。' },
      },
    ],
  });
  const shipped = (extra: Record<string, unknown>) =>
    render({ kind: 'shipped', channel: 'sms', locale: 'zh-CN', document, ...extra });

  it('renders the audience variant for a simulated returning buyer, the base for a new one', async () => {
    expect(await shipped({ audience: { buyer: 'returning' } })).toMatchObject({
      variant: 'welcome_back',
      rendered: { body: '【茶小铺】王小明，欢迎回来！包裹已发出。' },
    });
    expect((await shipped({ audience: { buyer: 'new' } })).variant).toBe('base');
    // The persona is worth more than the buyer type when both match.
    expect((await shipped({ audience: { buyer: 'returning', persona: 'owl' } })).variant).toBe('owl');
  });

  it('forces a variant by key, and rejects an unknown one', async () => {
    expect((await shipped({ variant: 'welcome_back' })).rendered.body).toBe('【茶小铺】王小明，欢迎回来！包裹已发出。');
    expect((await shipped({ audience: { buyer: 'returning' }, variant: 'base' })).rendered.body).toBe(
      '【茶小铺】王小明您好，您的包裹已发出。',
    );
    const res = await previewOf(key, { kind: 'shipped', channel: 'sms', locale: 'zh-CN', document, variant: 'nope' });
    expect(res.status).toBe(400);
  });

  it('chooses by the real buyer: an earlier paid order makes them returning', async () => {
    const now = Date.now();
    const first = `ord-${crypto.randomUUID()}`;
    const second = `ord-${crypto.randomUUID()}`;
    const who = buyer(`buyer-${crypto.randomUUID()}`, '韩梅梅');
    who.tags = [];
    expect((await sendEvent(shop, orderCreated(first, now - 86_400_000, { buyer: who }))).status).toBe(202);
    expect((await sendEvent(shop, orderPaid(first, now - 86_000_000))).status).toBe(202);
    expect((await sendEvent(shop, orderCreated(second, now, { buyer: who }))).status).toBe(202);
    expect((await shipped({ order_id: first })).variant).toBe('base');
    expect(await shipped({ order_id: second })).toMatchObject({
      variant: 'welcome_back',
      rendered: { body: '【茶小铺】韩梅梅，欢迎回来！包裹已发出。' },
    });
  });

  it('renders a published version with variants by version number', async () => {
    expect((await draft(key, 'shipped/sms/zh-CN', document)).status).toBe(201);
    expect((await publish(key, 'shipped/sms/zh-CN', 1)).status).toBe(200);
    const out = await render({ kind: 'shipped', channel: 'sms', locale: 'zh-CN', audience: { persona: 'owl' } });
    expect(out).toMatchObject({
      source: 'published',
      version: 1,
      variant: 'owl',
      rendered: { body: '【茶小铺】王小明：单号 SF1234567890123。' },
    });
    expect((await render({ kind: 'shipped', channel: 'sms', locale: 'zh-CN', version: 1 })).source).toBe('version');
  });
});
