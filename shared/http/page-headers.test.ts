/** Every HTML page the gateway serves carries the same security headers. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { addressLinkToken } from '../orders/address-link';
import { orderCreated } from '../../test/helpers/events';
import { call, createShop, sendEvent, type TestShop } from '../../test/helpers/gateway';
import { seedMessage } from '../../workers/gateway/messages/fixtures';

let shop: TestShop;
let pages: [string, () => Promise<Response>][];
beforeAll(async () => {
  shop = await createShop('Pages');
  const orderId = `pages-${crypto.randomUUID()}`;
  expect((await sendEvent(shop, orderCreated(orderId, Date.now()))).status).toBe(202);
  const token = await addressLinkToken(env.ENCRYPTION_KEY, { shopId: shop.shop_id, orderId });
  const m = await seedMessage(shop.shop_id, { channel: 'email', recipient: 'buyer@example.com' });
  const unsubscribe = `/v1/unsubscribe/${shop.shop_id}/${m.id}`;
  const form = (body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  pages = [
    ['address page', () => call(`/a/${token}`)],
    ['address page, bad link', () => call('/a/not-a-token')],
    ['address page, form error', () => call(`/a/${token}`, form('action=nonsense'))],
    ['unsubscribe confirm page', () => call(unsubscribe)],
    ['unsubscribe done page', () => call(unsubscribe, form('List-Unsubscribe=One-Click'))],
    ['docs page', () => call('/docs')],
  ];
});

describe('HTML page header policy', () => {
  it('gives every HTML page CSP with frame-ancestors none, nosniff, no referrer and no caching', async () => {
    for (const [name, load] of pages) {
      const res = await load();
      expect(res.headers.get('content-type'), name).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, name).toContain("frame-ancestors 'none'");
      expect(csp, name).toContain("default-src 'none'");
      expect(csp, name).toContain("base-uri 'none'");
      expect(res.headers.get('x-frame-options'), name).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), name).toBe('no-referrer');
      expect(res.headers.get('cache-control'), name).toBe('no-store');
    }
  });

  it('lets only the docs page run a script, and only from this origin', async () => {
    for (const [name, load] of pages) {
      const csp = (await load()).headers.get('content-security-policy') ?? '';
      if (name === 'docs page') expect(csp).toMatch(/script-src 'self'(;|$)/);
      else expect(csp, name).not.toContain('script-src');
    }
  });

  it('leaves JSON responses alone', async () => {
    const res = await call('/healthz');
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});
