/** Provider credentials: validated, sealed, audited without secrets, and never returned. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { decryptSecret } from '../../../shared/crypto/secret-box';
import { call, createShop } from '../../../test/helpers/gateway';
import { auditRows, issueKey, type ErrorBody } from '../../../test/helpers/templates';

const SECRET = 'tw-secret-9f8e7d6c5b4a';
const twilio = { accountSid: `AC${'b'.repeat(32)}`, authToken: SECRET, from: '+14155550100' };
const put = (key: string, provider: string, json: unknown) =>
  call(`/v1/delivery/providers/${provider}`, { method: 'PUT', key, json });

async function storedRow(shopId: string, provider: string) {
  return env.DB.prepare('SELECT * FROM provider_credentials WHERE shop_id = ? AND provider = ?')
    .bind(shopId, provider)
    .first<{ ciphertext: string; channel: string }>();
}

describe('/v1/delivery/providers', () => {
  it('stores credentials sealed and never returns them in any response', async () => {
    const shop = await createShop('Providers');
    const saved = await put(shop.api_key, 'twilio', twilio);
    expect(saved.status).toBe(200);
    const savedText = await saved.text();
    expect(savedText).not.toContain(SECRET);
    expect(JSON.parse(savedText)).toMatchObject({
      provider: 'twilio',
      channel: 'sms',
      callback_urls: { inbound_url: `http://orderbell.test/v1/inbound/${shop.shop_id}/twilio` },
    });

    const listed = await call('/v1/delivery/providers', { key: shop.api_key });
    const listedText = await listed.text();
    expect(listedText).not.toContain(SECRET);
    expect(listedText).not.toContain(twilio.accountSid);
    expect(JSON.parse(listedText)).toEqual({
      data: [{ provider: 'twilio', channel: 'sms', created_at: expect.any(String), updated_at: expect.any(String) }],
    });

    const row = await storedRow(shop.shop_id, 'twilio');
    expect(row!.ciphertext).not.toContain(SECRET);
    expect(row!.ciphertext).not.toBe(JSON.stringify(twilio));
    expect(JSON.parse(await decryptSecret(env.ENCRYPTION_KEY, row!.ciphertext))).toMatchObject(twilio);

    const audit = await auditRows(shop.shop_id, 'provider.update');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit[0]!.changes).toMatchObject({ provider: 'twilio', fields: expect.arrayContaining(['authToken']) });
  });

  it('replaces the credentials on a second PUT, keeping one row', async () => {
    const shop = await createShop('Replace');
    await put(shop.api_key, 'twilio', twilio);
    expect((await put(shop.api_key, 'twilio', { ...twilio, authToken: 'second-token' })).status).toBe(200);
    const row = await storedRow(shop.shop_id, 'twilio');
    expect(JSON.parse(await decryptSecret(env.ENCRYPTION_KEY, row!.ciphertext))).toMatchObject({
      authToken: 'second-token',
    });
    const { results } = await env.DB.prepare('SELECT id FROM provider_credentials WHERE shop_id = ?')
      .bind(shop.shop_id)
      .all();
    expect(results).toHaveLength(1);
  });

  it("rejects settings that fail the provider's schema with 400 and zod paths, storing nothing", async () => {
    const shop = await createShop('Invalid');
    const res = await put(shop.api_key, 'twilio', { accountSid: 'XX1', authToken: '' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details!.map((d) => d.path)).toEqual(expect.arrayContaining(['accountSid', 'authToken']));
    expect(await storedRow(shop.shop_id, 'twilio')).toBeNull();
    expect((await put(shop.api_key, 'carrier_pigeon', {})).status).toBe(400);
    expect((await put(shop.api_key, 'local', {})).status).toBe(400);
  });

  it('deletes credentials (admin only), then answers 404', async () => {
    const shop = await createShop('Delete');
    await put(shop.api_key, 'twilio', twilio);
    const reader = await issueKey(shop, ['read']);
    expect((await call('/v1/delivery/providers', { key: reader.key })).status).toBe(200);
    expect((await put(reader.key, 'twilio', twilio)).status).toBe(403);
    expect((await call('/v1/delivery/providers/twilio', { method: 'DELETE', key: reader.key })).status).toBe(403);
    expect((await call('/v1/delivery/providers/twilio', { method: 'DELETE', key: shop.api_key })).status).toBe(204);
    expect(await storedRow(shop.shop_id, 'twilio')).toBeNull();
    expect((await call('/v1/delivery/providers/twilio', { method: 'DELETE', key: shop.api_key })).status).toBe(404);
    expect(await auditRows(shop.shop_id, 'provider.delete')).toHaveLength(1);
  });

  it("never shows one shop another's providers", async () => {
    const a = await createShop('A');
    const b = await createShop('B');
    await put(a.api_key, 'twilio', twilio);
    expect(await (await call('/v1/delivery/providers', { key: b.api_key })).json()).toEqual({ data: [] });
    expect((await call('/v1/delivery/providers/twilio', { method: 'DELETE', key: b.api_key })).status).toBe(404);
  });
});
