import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { issueKey } from '../../../test/helpers/templates';

describe('/console', () => {
  it('redirects /console to /console/', async () => {
    const res = await call('/console', { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it('serves the app with a CSP without inline script, frame-ancestors none, nosniff and a referrer policy', async () => {
    const res = await call('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('/docs', () => {
  it('loads the reference viewer from this origin, not a CDN', async () => {
    const res = await call('/docs');
    const html = await res.text();
    expect(html).toContain('/docs/assets/scalar.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('GET /v1/key', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await createShop('Tea House');
  });

  it('names the shop and the scopes of any key, even a templates-only one', async () => {
    const { key } = await issueKey(shop, ['templates']);
    const res = await call('/v1/key', { key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      shop_id: shop.shop_id,
      shop_name: 'Tea House',
      key: { scopes: ['templates'], prefix: expect.any(String) },
    });
  });

  it('answers an unknown key with 401', async () => {
    expect((await call('/v1/key', { key: 'obk_nope' })).status).toBe(401);
  });
});
