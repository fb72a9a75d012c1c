import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';

type Key = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  revoked_at: string | null;
  api_key?: string;
};
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; details?: { path: string }[] } }).error;
const issue = (key: string, json: unknown) => call('/v1/api-keys', { method: 'POST', key, json });
const list = async (key: string) => ((await (await call('/v1/api-keys', { key })).json()) as { data: Key[] }).data;
const revoke = (key: string, id: string) => call(`/v1/api-keys/${id}`, { method: 'DELETE', key });

let shop: TestShop;
beforeAll(async () => {
  shop = await createShop('Keys');
});

describe('API keys', () => {
  it('issues a key with its scopes that authenticates with exactly those scopes', async () => {
    const res = await issue(shop.api_key, { name: 'reporting', scopes: ['read', 'read'] });
    expect(res.status).toBe(201);
    const key = (await res.json()) as Key;
    expect(key).toMatchObject({
      id: expect.stringMatching(/^key_/),
      name: 'reporting',
      scopes: ['read'],
      revoked_at: null,
    });
    expect(key.api_key).toMatch(/^obk_/);
    expect(key.api_key!.startsWith(key.prefix)).toBe(true);
    expect((await call('/v1/shop', { key: key.api_key })).status).toBe(200);
    expect((await call('/v1/shop', { method: 'PATCH', key: key.api_key, json: { name: 'x' } })).status).toBe(403);

    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'api_key.create'",
    )
      .bind(key.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('lists prefixes, never the key or its digest', async () => {
    const issued = (await (await issue(shop.api_key, { name: 'listed', scopes: ['templates'] })).json()) as Key;
    const digest = await env.DB.prepare('SELECT digest FROM api_keys WHERE id = ?')
      .bind(issued.id)
      .first<{ digest: string }>();
    const res = await call('/v1/api-keys', { key: shop.api_key });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(issued.api_key!);
    expect(text).not.toContain(shop.api_key);
    expect(text).not.toContain(digest!.digest);
    const listed = (JSON.parse(text) as { data: Key[] }).data.find((k) => k.id === issued.id);
    expect(listed).toEqual({
      id: issued.id,
      name: 'listed',
      prefix: issued.prefix,
      scopes: ['templates'],
      created_at: issued.created_at,
      revoked_at: null,
    });
    expect(listed!.prefix.length).toBeLessThan(issued.api_key!.length / 2);
  });

  it('revokes a key: it then gets 401, is listed as revoked, and cannot be revoked twice', async () => {
    const issued = (await (await issue(shop.api_key, { name: 'short-lived', scopes: ['read'] })).json()) as Key;
    expect((await call('/v1/shop', { key: issued.api_key })).status).toBe(200);

    const res = await revoke(shop.api_key, issued.id);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Key).revoked_at).toEqual(expect.any(String));

    const after = await call('/v1/shop', { key: issued.api_key });
    expect(after.status).toBe(401);
    expect((await errorOf(after)).code).toBe('unauthorized');
    expect((await list(shop.api_key)).find((k) => k.id === issued.id)!.revoked_at).not.toBeNull();
    expect((await revoke(shop.api_key, issued.id)).status).toBe(404);
  });

  it('answers 404 not_found for an unknown key id', async () => {
    const res = await revoke(shop.api_key, 'key_does_not_exist');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });

  it.each([['read'], ['templates']])('forbids a %s key from issuing, listing and revoking keys', async (scope) => {
    const weak = ((await (await issue(shop.api_key, { name: scope, scopes: [scope] })).json()) as Key).api_key!;
    const target = (await list(shop.api_key))[0]!;
    for (const res of [
      await issue(weak, { name: 'escalate', scopes: ['admin'] }),
      await call('/v1/api-keys', { key: weak }),
      await revoke(weak, target.id),
    ]) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('forbidden');
    }
    expect((await list(shop.api_key)).find((k) => k.id === target.id)!.revoked_at).toBe(target.revoked_at);
    expect((await list(shop.api_key)).some((k) => k.name === 'escalate')).toBe(false);
  });

  it('requires a key at all', async () => {
    const res = await call('/v1/api-keys');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });

  it.each<[unknown, string]>([
    [{ name: 'bad', scopes: ['superuser'] }, 'scopes.0'],
    [{ name: 'none', scopes: [] }, 'scopes'],
    [{ scopes: ['read'] }, 'name'],
    [{ name: 'extra', scopes: ['read'], shop_id: 'shop_other' }, ''],
  ])('rejects %j with 400 at path "%s"', async (body, path) => {
    const before = (await list(shop.api_key)).length;
    const res = await issue(shop.api_key, body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.details!.map((d) => d.path)).toContain(path);
    expect(await list(shop.api_key)).toHaveLength(before);
  });
});

describe('the last admin key', () => {
  it('cannot be revoked until another admin key exists', async () => {
    const own = await createShop('Lockout');
    const [admin] = await list(own.api_key);
    const res = await revoke(own.api_key, admin!.id);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('conflict');
    expect((await call('/v1/shop', { key: own.api_key })).status).toBe(200);

    const second = (await (await issue(own.api_key, { name: 'second admin', scopes: ['admin'] })).json()) as Key;
    expect((await revoke(second.api_key!, admin!.id)).status).toBe(200);
    expect((await call('/v1/shop', { key: own.api_key })).status).toBe(401);
  });
});
