/**
 * The address-confirmation pages through the gateway's real fetch handler:
 * the masked address in zh-CN or en, confirmation and correction recorded once
 * on the order's timeline, and clear 4xx pages for tampered, expired and
 * shipped links, never an error trace.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { addressLinkToken } from '../../../shared/orders/address-link';
import {
  orderCancelled,
  orderCreated,
  orderPaid,
  orderShipped,
  sampleAddress as address,
} from '../../../test/helpers/events';
import { call, createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('茶小铺');
});

/** A paid order and its address link. */
async function paidOrder(buyer: Record<string, unknown> = {}, now = new Date()) {
  const orderId = `addr-${crypto.randomUUID()}`;
  const at = Date.now() - 30 * 60_000;
  const created = orderCreated(orderId, at, {
    shipping_address: address,
    buyer: { id: `b-${orderId}`, name: '王小明', locale: 'zh-CN', ...buyer },
  });
  expect((await sendEvent(shop, created)).status).toBe(202);
  expect((await sendEvent(shop, orderPaid(orderId, at + 60_000))).status).toBe(202);
  const token = await addressLinkToken(env.ENCRYPTION_KEY, { shopId: shop.shop_id, orderId }, now);
  return { orderId, path: `/a/${token}` };
}

const post = (path: string, form: Record<string, string>) =>
  call(path, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });

async function timeline(orderId: string) {
  const res = await call(`/v1/orders/${orderId}`, { key: shop.api_key });
  return (await res.json()) as {
    address_responses: { action: string; correction: string | null; message_id: string | null }[];
    messages: { message_id: string; kind: string; channel: string; status: string }[];
  };
}

function expectPlainPage(text: string) {
  expect(text).toMatch(/^<!doctype html>/);
  expect(text).not.toMatch(/stack|Error:|at async|internal_error/);
}

describe('GET /a/{token}', () => {
  it('shows the masked address on a small self-contained page in the buyer language', async () => {
    const { path } = await paidOrder();
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expectPlainPage(html);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('浙江省杭州市西湖区 文三路****');
    expect(html).toContain('王** 138****5678');
    for (const secret of ['王小明', '601', '13812345678']) expect(html).not.toContain(secret);
    expect(html).toContain('地址没问题');
    expect(html).toContain('需要修改');
    expect(html).not.toMatch(/<script|src=|href="http/);
  });

  it('speaks English to an English-speaking buyer, or by Accept-Language when the buyer has no locale', async () => {
    const en = await paidOrder({ locale: 'en-GB' });
    expect(await (await call(en.path)).text()).toContain('Looks right');
    const unknown = await paidOrder({ locale: undefined });
    const html = await (await call(unknown.path, { headers: { 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' } })).text();
    expect(html).toContain('<html lang="en">');
    expect(await (await call(`${unknown.path}?lang=zh`)).text()).toContain('地址没问题');
  });

  it('answers a tampered or foreign link with a clear 404 page', async () => {
    const { path } = await paidOrder();
    const [payload, mac] = path.slice(3).split('.') as [string, string];
    const forged = await addressLinkToken('ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=', {
      shopId: shop.shop_id,
      orderId: 'x',
    });
    for (const bad of [`${payload}A.${mac}`, `${payload}.${mac.slice(1)}B`, forged, 'garbage', '%E0%A4%A']) {
      const res = await call(`/a/${bad}`, { headers: { 'accept-language': 'en' } });
      expect(res.status, bad).toBe(404);
      const html = await res.text();
      expectPlainPage(html);
      expect(html).toContain('We could not read this link');
    }
  });

  it('answers an expired link with 410', async () => {
    const { path } = await paidOrder({}, new Date(Date.now() - 15 * 86_400_000));
    const res = await call(path);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('链接已过期');
  });

  it('stops working once the order ships, and on a cancelled order', async () => {
    const shipped = await paidOrder();
    expect((await sendEvent(shop, orderShipped(shipped.orderId, Date.now()))).status).toBe(202);
    for (const res of [
      await call(shipped.path),
      await post(shipped.path, { action: 'correct', correction: '改地址' }),
    ]) {
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('宝贝已经发出啦');
    }
    expect((await timeline(shipped.orderId)).address_responses).toEqual([]);

    const cancelled = await paidOrder();
    await sendEvent(shop, orderCancelled(cancelled.orderId, Date.now()));
    const res = await call(cancelled.path);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('订单已关闭');
  });
});

describe('POST /a/{token}', () => {
  it('redirects relative to the link, never to the Host the request named', async () => {
    const { path } = await paidOrder();
    const res = await exports.default.fetch(
      new Request(`http://evil.example${path}?lang=en`, {
        method: 'POST',
        body: new URLSearchParams({ action: 'confirm' }),
        headers: { host: 'evil.example' },
        redirect: 'manual',
      }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).not.toMatch(/evil|^\/\/|^[a-z]+:/i);
    expect(new URL(location, `https://shop.example${path}`).href).toBe(`https://shop.example${path}?lang=en`);
  });

  it('records "looks right" once, on the order timeline', async () => {
    const { orderId, path } = await paidOrder();
    for (let i = 0; i < 2; i++) {
      const res = await post(path, { action: 'confirm' });
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location')!, `http://orderbell.test${path}`).href).toBe(
        `http://orderbell.test${path}`,
      );
    }
    const page = await (await call(path)).text();
    expect(page).toContain('您已确认过这个地址');
    expect(page).not.toContain('value="confirm"');
    expect((await timeline(orderId)).address_responses).toEqual([
      expect.objectContaining({ action: 'confirmed', correction: null, message_id: null }),
    ]);
  });

  it('records a correction once and plans its forward to the shop', async () => {
    const { orderId, path } = await paidOrder();
    const empty = await post(path, { action: 'correct', correction: '   ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('请写下需要修改的内容');
    expect(await post(path, { action: 'correct', correction: '应为 6 单元 601 室 <b>' })).toHaveProperty('status', 303);
    expect(await post(path, { action: 'correct', correction: '再改一次' })).toHaveProperty('status', 303);
    expect(await post(path, { action: 'confirm' })).toHaveProperty('status', 303);

    const page = await (await call(path)).text();
    expect(page).toContain('修改已提交');
    expect(page).toContain('应为 6 单元 601 室 &lt;b&gt;');
    const view = await timeline(orderId);
    expect(view.address_responses).toEqual([
      expect.objectContaining({ action: 'correction_requested', correction: '应为 6 单元 601 室 <b>' }),
    ]);
    const forward = view.messages.filter((m) => m.kind === 'address_correction');
    expect(forward).toEqual([expect.objectContaining({ channel: 'webhook', status: 'queued' })]);
    expect(view.address_responses[0]!.message_id).toBe(forward[0]!.message_id);
  });

  it('refuses an over-long correction with the form again, and an oversized body with a plain page', async () => {
    const { orderId, path } = await paidOrder();
    const long = await post(path, { action: 'correct', correction: '改'.repeat(501) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('内容最多 500 字');
    const huge = await post(path, { action: 'correct', correction: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expectPlainPage(await huge.text());
    expect((await timeline(orderId)).address_responses).toEqual([]);
  });

  it('answers an unknown action with the form again (400)', async () => {
    const { path } = await paidOrder();
    const res = await post(path, { action: 'delete' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('地址没问题');
  });
});
