import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, sendEvent, type TestShop } from '../../test/helpers/gateway';
import { orderCreated } from '../../test/helpers/events';

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const settings = async (shop: TestShop) =>
  (await (await call('/v1/shop', { key: shop.api_key })).json()) as Record<string, unknown>;
const rows = async (table: string, shopId: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE shop_id = ?`).bind(shopId).first<{ n: number }>())!.n;

let a: TestShop;
let b: TestShop;
const bOrder = `ord-b-${crypto.randomUUID()}`;

beforeAll(async () => {
  a = await createShop('Shop A');
  b = await createShop('Shop B');
  expect((await sendEvent(b, orderCreated(bOrder, Date.now()))).status).toBe(202);
});

describe('tenant isolation', () => {
  it("hides B's order from A's key, whatever A adds to the request", async () => {
    expect((await call(`/v1/orders/${bOrder}`, { key: b.api_key })).status).toBe(200);
    const attempts = [
      call(`/v1/orders/${bOrder}`, { key: a.api_key }),
      call(`/v1/orders/${bOrder}?shop_id=${b.shop_id}`, { key: a.api_key }),
      call(`/v1/orders/${bOrder}`, { key: a.api_key, headers: { 'x-shop-id': b.shop_id } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('not_found');
    }
  });

  it("PATCH with A's key changes only A, even when it names B", async () => {
    const before = await settings(b);
    const res = await call(`/v1/shop?shop_id=${b.shop_id}`, {
      method: 'PATCH',
      key: a.api_key,
      headers: { 'x-shop-id': b.shop_id },
      json: { shipping_cutoff: '15:15', name: 'A renamed' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ shop_id: a.shop_id, shipping_cutoff: '15:15' });
    expect(await settings(a)).toMatchObject({ name: 'A renamed', shipping_cutoff: '15:15' });
    expect(await settings(b)).toEqual(before);
  });

  it("GET /v1/shop with A's key and B's id in the query or a header returns A", async () => {
    const res = await call(`/v1/shop?shop_id=${b.shop_id}`, { key: a.api_key, headers: { 'x-shop-id': b.shop_id } });
    expect(((await res.json()) as { shop_id: string }).shop_id).toBe(a.shop_id);
  });

  it("A's key cannot revoke or list B's keys", async () => {
    const bKeys = await env.DB.prepare('SELECT id FROM api_keys WHERE shop_id = ?')
      .bind(b.shop_id)
      .all<{ id: string }>();
    const bKeyId = bKeys.results[0]!.id;
    const res = await call(`/v1/api-keys/${bKeyId}`, { method: 'DELETE', key: a.api_key });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('not_found');
    expect((await call('/v1/shop', { key: b.api_key })).status).toBe(200);

    const listed = await call(`/v1/api-keys?shop_id=${b.shop_id}`, {
      key: a.api_key,
      headers: { 'x-shop-id': b.shop_id },
    });
    const ids = ((await listed.json()) as { data: { id: string }[] }).data.map((k) => k.id);
    const aKeys = await env.DB.prepare('SELECT id FROM api_keys WHERE shop_id = ?')
      .bind(a.shop_id)
      .all<{ id: string }>();
    expect(ids.sort()).toEqual(aKeys.results.map((r) => r.id).sort());
    expect(ids).not.toContain(bKeyId);
  });

  it("rejects a webhook signed with A's secret at B's URL and stores nothing for either", async () => {
    const fresh = [await createShop('Fresh A'), await createShop('Fresh B')] as const;
    const [fa, fb] = fresh;
    const res = await sendEvent(fb, orderCreated(`ord-x-${crypto.randomUUID()}`, Date.now()), {
      secret: fa.webhook_secret,
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('signature_invalid');
    for (const shop of fresh) {
      expect(await rows('webhook_events', shop.shop_id)).toBe(0);
      expect(await rows('orders', shop.shop_id)).toBe(0);
    }
  });

  it("does not let B's order id become visible to A after A sends its own order with the same id", async () => {
    expect((await sendEvent(a, orderCreated(bOrder, Date.now(), { total: '1.00' }))).status).toBe(202);
    const mine = await call(`/v1/orders/${bOrder}`, { key: a.api_key });
    const theirs = await call(`/v1/orders/${bOrder}`, { key: b.api_key });
    expect(((await mine.json()) as { total: string }).total).toBe('1.00');
    expect(((await theirs.json()) as { total: string }).total).toBe('258.00');
  });
});
