/**
 * Driving the platform receivers as the platforms do. Signatures are computed here with WebCrypto,
 * independently of the gateway's code: base64 HMAC-SHA256 of the raw body (Shopify, AfterShip) and
 * upper-case hex MD5 of `param` + salt (Kuaidi100).
 */
import { call, type TestShop } from './gateway';

const bytes = (text: string) => new TextEncoder().encode(text);

export async function hmacBase64(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', bytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes(body)));
  return btoa(String.fromCharCode(...mac));
}

export async function md5UpperHex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('MD5', bytes(text)));
  return [...digest]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

export const SHOPIFY = { shop_domain: 'orderbell-test.myshopify.com', client_secret: 'shpss_test_secret_0001' };
export const KUAIDI100 = { key: 'k100-key', customer: 'K100CUSTOMER', salt: 'salt-1234' };
export const AFTERSHIP = { webhook_secret: 'aftership-secret-0001' };

export async function connect(shop: TestShop, platform: string, credentials: unknown) {
  const res = await call(`/v1/integrations/${platform}`, { method: 'PUT', key: shop.api_key, json: credentials });
  if (res.status !== 200) throw new Error(`connect ${platform}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ platform: string; callback_url: string }>;
}

let counter = 0;

/** `raw` is sent instead of the body, signed as the body (a tampered delivery) unless `hmacOf` names what was signed. */
export type ShopifyOptions = { secret?: string; id?: string; domain?: string; raw?: string; hmacOf?: string };

/** A Shopify webhook delivery of `topic`, signed with the client secret unless told otherwise. */
export async function shopifyPost(shopId: string, topic: string, body: unknown, opts: ShopifyOptions = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const signedBody = opts.hmacOf ?? JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': await hmacBase64(opts.secret ?? SHOPIFY.client_secret, signedBody),
    'x-shopify-shop-domain': opts.domain ?? SHOPIFY.shop_domain,
    'x-shopify-webhook-id': opts.id ?? `wh-${Date.now()}-${++counter}`,
    'x-shopify-api-version': '2025-10',
  };
  return call(`/v1/integrations/shopify/${shopId}`, { method: 'POST', headers, body: raw });
}

/** A Kuaidi100 push: form fields `param` and `sign` (MD5 of param + salt unless given). */
export async function kuaidi100Post(shopId: string, param: unknown, opts: { salt?: string; sign?: string } = {}) {
  const text = typeof param === 'string' ? param : JSON.stringify(param);
  const sign = opts.sign ?? (await md5UpperHex(text + (opts.salt ?? KUAIDI100.salt)));
  const body = new URLSearchParams({ param: text, sign }).toString();
  return call(`/v1/integrations/kuaidi100/${shopId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

/** An AfterShip webhook, signed with the webhook secret unless told otherwise. */
export async function aftershipPost(shopId: string, body: unknown, opts: { secret?: string; raw?: string } = {}) {
  const signed = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    'aftership-hmac-sha256': await hmacBase64(opts.secret ?? AFTERSHIP.webhook_secret, signed),
  };
  return call(`/v1/integrations/aftership/${shopId}`, { method: 'POST', headers, body: opts.raw ?? signed });
}
