/**
 * Intake edges found by the outside test: signatures over the raw bytes, strict UTF-8, the
 * webhook-id length limit, and ids that are not well-formed Unicode. Each is refused before anything
 * is stored.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, nextWebhookId, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { orderCreated, orderShipped } from '../../../test/helpers/events';

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('Edges');
});

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const count = async (sql: string) => (await env.DB.prepare(sql).bind(shop.shop_id).first<{ n: number }>())!.n;
const stored = async () => ({
  events: await count('SELECT count(*) AS n FROM webhook_events WHERE shop_id = ?'),
  orders: await count('SELECT count(*) AS n FROM orders WHERE shop_id = ?'),
  customers: await count('SELECT count(*) AS n FROM customers WHERE shop_id = ?'),
});

/** HMAC-SHA256 over `{id}.{ts}.` followed by exactly `body`, as a sender of raw bytes computes it. */
async function signBytes(secret: string, id: string, ts: number, body: Uint8Array) {
  const keyBytes = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const prefix = new TextEncoder().encode(`${id}.${ts}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  const mac = await crypto.subtle.sign('HMAC', key, content);
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

function postBytes(id: string, ts: number, signature: string, body: Uint8Array) {
  return call(`/v1/webhooks/${shop.shop_id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signature,
    },
    body,
  });
}

/** A valid event whose item title holds the byte 0xFF, which is not UTF-8. */
function invalidUtf8Body(): Uint8Array {
  const text = JSON.stringify(orderCreated(`utf8-${crypto.randomUUID()}`, Date.now()));
  const [before, after] = text.split('明前龙井') as [string, string];
  const enc = new TextEncoder();
  return new Uint8Array([...enc.encode(before), 0xff, ...enc.encode(after)]);
}

describe('signatures over the raw bytes', () => {
  it('answers 400 for invalid UTF-8 correctly signed over its bytes, and stores nothing', async () => {
    const before = await stored();
    const body = invalidUtf8Body();
    const id = nextWebhookId();
    const ts = Math.floor(Date.now() / 1000);
    const res = await postBytes(id, ts, await signBytes(shop.webhook_secret, id, ts, body), body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('validation_failed');
    expect(await stored()).toEqual(before);
  });

  it('refuses the same bytes signed over their replacement-character decoding', async () => {
    const before = await stored();
    const body = invalidUtf8Body();
    const lossy = new TextEncoder().encode(new TextDecoder().decode(body));
    const id = nextWebhookId();
    const ts = Math.floor(Date.now() / 1000);
    const res = await postBytes(id, ts, await signBytes(shop.webhook_secret, id, ts, lossy), body);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('signature_invalid');
    expect(await stored()).toEqual(before);
  });

  it('still accepts any listed v1 signature that matches, and multi-byte UTF-8', async () => {
    const body = new TextEncoder().encode(JSON.stringify(orderCreated(`ok-${crypto.randomUUID()}`, Date.now())));
    const id = nextWebhookId();
    const ts = Math.floor(Date.now() / 1000);
    const good = await signBytes(shop.webhook_secret, id, ts, body);
    const res = await postBytes(id, ts, `v1,AAAA v2,${good.slice(3)} ${good}`, body);
    expect(res.status).toBe(202);
  });
});

describe('webhook-id length', () => {
  it('answers 400 for a webhook-id over 256 bytes before storing anything, and accepts 256', async () => {
    const before = await stored();
    const long = await sendEvent(shop, orderCreated(`id-${crypto.randomUUID()}`, Date.now()), { id: 'x'.repeat(257) });
    expect(long.status).toBe(400);
    expect(await errorCode(long)).toBe('validation_failed');
    // 86 three-byte characters are 258 bytes though only 86 UTF-16 units.
    const wide = await sendEvent(shop, orderCreated(`id-${crypto.randomUUID()}`, Date.now()), { id: '号'.repeat(86) });
    expect(wide.status).toBe(400);
    expect(await stored()).toEqual(before);
    const edge = await sendEvent(shop, orderCreated(`id-${crypto.randomUUID()}`, Date.now()), { id: 'y'.repeat(256) });
    expect(edge.status).toBe(202);
  });
});

describe('ids must be well-formed Unicode', () => {
  const lone = ['\ud800', 'a\udfffb', '\udc00\ud800'];
  it.each(lone.map((s) => [JSON.stringify(s)]))('refuses order_id %s with 400 and stores nothing', async (json) => {
    const before = await stored();
    const orderId = JSON.parse(json) as string;
    const res = await sendEvent(shop, orderCreated(orderId, Date.now()));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('data.order_id');
    expect(await stored()).toEqual(before);
  });

  it('refuses a lone surrogate in buyer.id, a tracking number, or an object key', async () => {
    const before = await stored();
    const buyer = orderCreated(`b-${crypto.randomUUID()}`, Date.now());
    (buyer.data.buyer as { id: string }).id = 'buyer\ud800';
    const shipped = orderShipped(`s-${crypto.randomUUID()}`, Date.now());
    shipped.data.tracking_number = 'SF\udc00';
    const keyed = { ...orderCreated(`k-${crypto.randomUUID()}`, Date.now()), ['extra\ud800']: 1 };
    for (const body of [buyer, shipped, keyed]) expect((await sendEvent(shop, body)).status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('keeps distinct well-formed ids distinct', async () => {
    const ids = ['\ud83d\ude00', '\ud83d\ude01'].map((e) => `emoji-${e}-${crypto.randomUUID()}`);
    for (const id of ids) expect((await sendEvent(shop, orderCreated(id, Date.now()))).status).toBe(202);
    for (const id of ids) {
      expect((await call(`/v1/orders/${encodeURIComponent(id)}`, { key: shop.api_key })).status).toBe(200);
    }
  });

  it('limits every id: order_id 128, buyer.id 128, tracking_number 64', async () => {
    const long = orderCreated('o'.repeat(129), Date.now());
    const buyer = orderCreated(`b-${crypto.randomUUID()}`, Date.now());
    (buyer.data.buyer as { id: string }).id = 'b'.repeat(129);
    const shipped = orderShipped(`s-${crypto.randomUUID()}`, Date.now());
    shipped.data.tracking_number = 't'.repeat(65);
    for (const body of [long, buyer, shipped]) expect((await sendEvent(shop, body)).status).toBe(400);
  });
});
