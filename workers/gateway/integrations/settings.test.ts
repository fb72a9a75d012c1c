/** Connection settings: validated, sealed, never returned, listed with the callback URL; admin to change. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { AFTERSHIP, KUAIDI100, SHOPIFY } from '../../../test/helpers/integrations';

const BASE = 'http://orderbell.test';

async function readKey(shopKey: string) {
  const res = await call('/v1/api-keys', { method: 'POST', key: shopKey, json: { name: 'reader', scopes: ['read'] } });
  return ((await res.json()) as { api_key: string }).api_key;
}

describe('integration settings', () => {
  it('stores each platform sealed, lists it with its callback URL and never returns a secret', async () => {
    const shop = await createShop('Settings');
    for (const [platform, creds] of [
      ['shopify', SHOPIFY],
      ['kuaidi100', KUAIDI100],
      ['aftership', AFTERSHIP],
    ] as const) {
      const res = await call(`/v1/integrations/${platform}`, { method: 'PUT', key: shop.api_key, json: creds });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({
        platform,
        callback_url: `${BASE}/v1/integrations/${platform}/${shop.shop_id}`,
      });
      for (const value of Object.values(creds)) expect(text).not.toContain(value);
    }
    const list = await call('/v1/integrations', { key: await readKey(shop.api_key) });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { data: { platform: string; callback_url: string }[] };
    expect(body.data.map((d) => [d.platform, d.callback_url])).toEqual([
      ['aftership', `${BASE}/v1/integrations/aftership/${shop.shop_id}`],
      ['kuaidi100', `${BASE}/v1/integrations/kuaidi100/${shop.shop_id}`],
      ['shopify', `${BASE}/v1/integrations/shopify/${shop.shop_id}`],
    ]);
    const rows = await env.DB.prepare('SELECT ciphertext FROM integrations WHERE shop_id = ?')
      .bind(shop.shop_id)
      .all<{ ciphertext: string }>();
    expect(rows.results).toHaveLength(3);
    for (const { ciphertext } of rows.results) {
      expect(ciphertext).toMatch(/^v1\./);
      expect(ciphertext).not.toContain(SHOPIFY.client_secret);
      expect(ciphertext).not.toContain(KUAIDI100.salt);
    }
    const audit = await env.DB.prepare(
      "SELECT changes FROM audit_log WHERE shop_id = ? AND action = 'integration.update'",
    )
      .bind(shop.shop_id)
      .all<{ changes: string }>();
    expect(audit.results.map((r) => r.changes).join()).not.toContain(SHOPIFY.client_secret);
  });

  it('refuses bad credentials with the paths, and changes from a read key', async () => {
    const shop = await createShop('Settings bad');
    const bad = await call('/v1/integrations/shopify', {
      method: 'PUT',
      key: shop.api_key,
      json: { shop_domain: 'evil.example.com', client_secret: 'x' },
    });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path).sort()).toEqual(['client_secret', 'shop_domain']);
    const unknown = await call('/v1/integrations/woocommerce', { method: 'PUT', key: shop.api_key, json: {} });
    expect(unknown.status).toBe(400);
    const reader = await readKey(shop.api_key);
    const forbidden = await call('/v1/integrations/aftership', { method: 'PUT', key: reader, json: AFTERSHIP });
    expect(forbidden.status).toBe(403);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM integrations WHERE shop_id = ?').bind(shop.shop_id).first('n'),
    ).toBe(0);
    expect((await call('/v1/integrations', {})).status).toBe(401);
  });

  it('disconnects, after which the callback answers 404', async () => {
    const shop = await createShop('Settings delete');
    await call('/v1/integrations/aftership', { method: 'PUT', key: shop.api_key, json: AFTERSHIP });
    const gone = await call('/v1/integrations/aftership', { method: 'DELETE', key: shop.api_key });
    expect(gone.status).toBe(204);
    expect((await call('/v1/integrations/aftership', { method: 'DELETE', key: shop.api_key })).status).toBe(404);
    const list = (await (await call('/v1/integrations', { key: shop.api_key })).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
    const push = await call(`/v1/integrations/aftership/${shop.shop_id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': 'x' },
      body: '{}',
    });
    expect(push.status).toBe(404);
  });
});
