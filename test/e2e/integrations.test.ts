/**
 * End-to-end on `npm start` (test/support/stack.ts): the demo shop connects Shopify and Kuaidi100
 * through the API, then Shopify's published samples (made a live order), signed as Shopify signs
 * them, produce the thank-you, and a Kuaidi100 push with state 5 (派件), signed as Kuaidi100 signs
 * it, produces the out-for-delivery notice. Signatures come from node:crypto, not from orderbell.
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixture = (file: string) => readFileSync(path.join(root, 'test/fixtures', file), 'utf8');
const SHOPIFY = {
  shop_domain: 'orderbell-e2e.myshopify.com',
  client_secret: `shpss_${randomBytes(16).toString('hex')}`,
};
const KUAIDI100 = { key: 'e2e-key', customer: 'E2ECUSTOMER', salt: randomBytes(8).toString('hex') };

let stack: Stack;
const api = (p: string, init: RequestInit = {}) =>
  fetch(`${stack.baseUrl}${p}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.shop.api_key}`, 'content-type': 'application/json', ...init.headers },
  });

beforeAll(async () => {
  stack = await startStack();
  for (const [platform, creds] of [
    ['shopify', SHOPIFY],
    ['kuaidi100', KUAIDI100],
  ] as const) {
    expect((await api(`/v1/integrations/${platform}`, { method: 'PUT', body: JSON.stringify(creds) })).status).toBe(
      200,
    );
  }
  // No quiet hours for this run, whatever the time of day.
  const quiet = { quiet_hours: { start: '03:00', end: '03:01' } };
  expect((await api('/v1/shop', { method: 'PATCH', body: JSON.stringify(quiet) })).status).toBe(200);
}, 160_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

function shopify(topic: string, raw: string) {
  return fetch(`${stack.baseUrl}/v1/integrations/shopify/${stack.shop.shop_id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY.client_secret).update(raw, 'utf8').digest('base64'),
      'x-shopify-shop-domain': SHOPIFY.shop_domain,
      'x-shopify-webhook-id': randomBytes(12).toString('hex'),
    },
    body: raw,
  });
}

type View = { messages: { kind: string; status: string; rendered: { body?: string } | null }[] };
async function delivered(orderId: string, kind: string) {
  for (let i = 0; i < 75; i++) {
    const view = (await (await api(`/v1/orders/${orderId}`)).json()) as View;
    const found = view.messages.find((m) => m.kind === kind && m.status === 'delivered');
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no delivered ${kind} on ${orderId} within 15 s`);
}

describe('platform connections (npm start)', () => {
  const orderId = String(randomInt(10 ** 14, 2 ** 47));
  const number = `YT${randomInt(10 ** 9, 10 ** 10)}`;
  /** Shopify's orders/create sample as a live order of now, with the buyer's phone on the shipping address. */
  const order = (at: Date) =>
    fixture('shopify/orders-create.json')
      .replaceAll('820982911946154508', orderId)
      .replace('"test": true', '"test": false')
      .replace('"cancelled_at": "2022-04-06T08:09:03-04:00"', '"cancelled_at": null')
      .replace('"phone": "555-555-SHIP"', '"phone": "13800138000"')
      .replace(/"country_code": "US"/g, '"country_code": "CN"')
      .replaceAll('2022-04-06T08:09:03-04:00', at.toISOString());

  it('turns a signed Shopify orders/create then orders/paid into the thank-you', async () => {
    const created = await shopify('orders/create', order(new Date(Date.now() - 60_000)));
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ status: 'accepted' });
    const paid = await shopify('orders/paid', order(new Date()));
    expect(await paid.json()).toMatchObject({ status: 'accepted' });
    const thanks = await delivered(orderId, 'thank_you');
    expect(thanks.rendered!.body).toBeTruthy();
    const view = (await (await api(`/v1/orders/${orderId}`)).json()) as { events: { source: string; type: string }[] };
    expect(view.events.map((e) => `${e.source}:${e.type}`)).toEqual(['shopify:order.created', 'shopify:order.paid']);
  });

  it('turns a Kuaidi100 push with state 5 (派件) into the out-for-delivery notice', async () => {
    const fulfillment = fixture('shopify/fulfillments-update.json')
      .replace('820982911946154508', orderId)
      .replaceAll('1z827wk74630', number)
      .replace('"tracking_company": "UPS"', '"tracking_company": "圆通速递"')
      .replace('"status": "pending"', '"status": "success"')
      .replaceAll('2021-12-31T19:00:00-05:00', new Date(Date.now() - 30_000).toISOString());
    expect(await (await shopify('fulfillments/create', fulfillment)).json()).toMatchObject({ status: 'accepted' });

    const push = JSON.parse(fixture('kuaidi100/push.json')).param;
    const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    push.lastResult.nu = number;
    push.lastResult.state = '5';
    push.lastResult.data[0] = {
      ...push.lastResult.data[0],
      context: '【杭州市】快递员正在派件',
      time: beijing(Date.now()),
      ftime: beijing(Date.now()),
      status: '派件',
      areaName: '杭州市',
    };
    const param = JSON.stringify(push);
    const sign = createHash('md5')
      .update(param + KUAIDI100.salt, 'utf8')
      .digest('hex')
      .toUpperCase();
    const res = await fetch(`${stack.baseUrl}/v1/integrations/kuaidi100/${stack.shop.shop_id}`, {
      method: 'POST',
      body: new URLSearchParams({ param, sign }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: true, returnCode: '200', message: '成功' });
    const notice = await delivered(orderId, 'out_for_delivery');
    expect(notice.rendered!.body).toBeTruthy();
  });
});
