/** The blacklist API: normalised values, idempotent adds, URL-encoded deletes, per shop. */
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { auditRows, issueKey, type ErrorBody } from '../../../test/helpers/templates';

const add = (key: string, json: unknown) => call('/v1/blacklist', { method: 'POST', key, json });
const list = async (key: string, query = '') =>
  (
    (await (await call(`/v1/blacklist${query}`, { key })).json()) as {
      data: { type: string; value: string; note: string | null }[];
    }
  ).data;

describe('/v1/blacklist', () => {
  it('adds phones, lower-cased emails and buyer ids; adding again is a no-op', async () => {
    const shop = await createShop('Blacklist');
    expect((await add(shop.api_key, { type: 'phone', value: '+8613800138000', note: 'complained' })).status).toBe(201);
    expect((await add(shop.api_key, { type: 'email', value: ' Troll@Example.COM ' })).status).toBe(201);
    expect((await add(shop.api_key, { type: 'buyer', value: 'buyer-42' })).status).toBe(201);
    expect((await add(shop.api_key, { type: 'email', value: 'troll@example.com' })).status).toBe(200);
    expect(await list(shop.api_key)).toEqual([
      { type: 'buyer', value: 'buyer-42', note: null, created_at: expect.any(String) },
      { type: 'email', value: 'troll@example.com', note: null, created_at: expect.any(String) },
      { type: 'phone', value: '+8613800138000', note: 'complained', created_at: expect.any(String) },
    ]);
    expect((await list(shop.api_key, '?type=phone')).map((e) => e.value)).toEqual(['+8613800138000']);
    expect(await auditRows(shop.shop_id, 'blacklist.add')).toHaveLength(3);
  });

  it('rejects a phone that is not E.164, a bad email and an unknown type', async () => {
    const shop = await createShop('Invalid entries');
    for (const body of [
      { type: 'phone', value: '13800138000' },
      { type: 'email', value: 'not-an-email' },
      { type: 'ip', value: '1.2.3.4' },
      { type: 'buyer', value: '' },
    ]) {
      const res = await add(shop.api_key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
    }
    expect(await list(shop.api_key)).toEqual([]);
  });

  it('removes an entry by URL-encoded value, then answers 404', async () => {
    const shop = await createShop('Remove');
    await add(shop.api_key, { type: 'phone', value: '+8613800138000' });
    await add(shop.api_key, { type: 'email', value: 'a@example.com' });
    const phone = `/v1/blacklist/phone/${encodeURIComponent('+8613800138000')}`;
    expect((await call(phone, { method: 'DELETE', key: shop.api_key })).status).toBe(204);
    expect((await call('/v1/blacklist/email/A@Example.com', { method: 'DELETE', key: shop.api_key })).status).toBe(204);
    expect((await call(phone, { method: 'DELETE', key: shop.api_key })).status).toBe(404);
    expect(await list(shop.api_key)).toEqual([]);
  });

  it('keeps shops apart and read keys read-only', async () => {
    const a = await createShop('A');
    const b = await createShop('B');
    await add(a.api_key, { type: 'buyer', value: 'buyer-1' });
    expect(await list(b.api_key)).toEqual([]);
    expect((await call('/v1/blacklist/buyer/buyer-1', { method: 'DELETE', key: b.api_key })).status).toBe(404);
    const reader = await issueKey(a, ['read']);
    expect(await list(reader.key)).toHaveLength(1);
    expect((await add(reader.key, { type: 'buyer', value: 'buyer-2' })).status).toBe(403);
  });
});
