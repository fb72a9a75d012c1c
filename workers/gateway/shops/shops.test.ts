import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';

type ApiErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };
const errorOf = async (res: Response) => ((await res.json()) as ApiErrorBody).error;
const operator = (json: unknown, key: string | undefined = env.OPERATOR_TOKEN) =>
  call('/v1/shops', { method: 'POST', key, json });
const patch = (shop: TestShop, json: unknown, key = shop.api_key) => call('/v1/shop', { method: 'PATCH', key, json });
const settings = async (key: string) => (await call('/v1/shop', { key })).json() as Promise<Record<string, unknown>>;

const sha256Hex = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;
const auditCount = (shopId: string) =>
  count("SELECT count(*) AS n FROM audit_log WHERE shop_id = ? AND action = 'shop.update'", shopId);

async function issueKey(shop: TestShop, scopes: string[]) {
  const res = await call('/v1/api-keys', {
    method: 'POST',
    key: shop.api_key,
    json: { name: scopes.join('+'), scopes },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { api_key: string }).api_key;
}

describe('POST /v1/shops', () => {
  it('rejects a missing, wrong or shop-key token with 401 unauthorized and creates nothing', async () => {
    const shop = await createShop();
    const before = await count('SELECT count(*) AS n FROM shops');
    const noToken = await call('/v1/shops', { method: 'POST', json: { name: 'Nope' } });
    for (const res of [
      noToken,
      ...(await Promise.all(
        ['wrong', `${env.OPERATOR_TOKEN}x`, shop.api_key].map((k) => operator({ name: 'Nope' }, k)),
      )),
    ]) {
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('unauthorized');
    }
    expect(await count('SELECT count(*) AS n FROM shops')).toBe(before);
  });

  it('creates a shop and stores only the SHA-256 digest of its key and no clear secret', async () => {
    const res = await operator({ name: 'Tea House' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as TestShop;
    expect(created.shop_id).toMatch(/^shop_/);
    expect(created.api_key).toMatch(/^obk_/);
    expect(created.webhook_secret).toMatch(/^whsec_/);

    const keys = await env.DB.prepare('SELECT * FROM api_keys WHERE shop_id = ?').bind(created.shop_id).all();
    expect(keys.results).toHaveLength(1);
    const [key] = keys.results as Record<string, unknown>[];
    expect(key!.digest).toBe(await sha256Hex(created.api_key));
    expect(JSON.parse(String(key!.scopes))).toEqual(['admin']);
    for (const value of Object.values(key!)) expect(String(value)).not.toContain(created.api_key);

    const shop = await env.DB.prepare('SELECT * FROM shops WHERE id = ?')
      .bind(created.shop_id)
      .first<Record<string, unknown>>();
    const secretBody = created.webhook_secret.replace(/^whsec_/, '');
    for (const value of Object.values(shop!)) expect(String(value)).not.toContain(secretBody);
  });

  it.each([
    [{ timezone: 'Asia/Tokyo' }, 'name'],
    [{ name: 'Mars', timezone: 'Mars/Base' }, 'timezone'],
    [{ name: '   ' }, 'name'],
  ])('rejects %j with 400 at path %s', async (body, path) => {
    const res = await operator(body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.details!.map((d) => d.path)).toContain(path);
  });

  it('rejects an unknown field, naming it', async () => {
    const res = await operator({ name: 'Extra', owner: 'me' });
    expect(await errorOf(res)).toMatchObject({
      code: 'validation_failed',
      details: [{ path: '', message: expect.stringContaining('owner') }],
    });
  });

  it('defaults the shop settings, keeping a given timezone', async () => {
    const shop = await createShop('Defaults');
    expect(await settings(shop.api_key)).toMatchObject({
      shop_id: shop.shop_id,
      name: 'Defaults',
      timezone: 'Asia/Shanghai',
      shipping_cutoff: '18:00',
      non_shipping_days: [],
      reminder_lead_minutes: 60,
      reminder_min_order_age_minutes: 10,
      quiet_hours: { start: '21:00', end: '08:00' },
    });
    const tokyo = await createShop('Tokyo', 'Asia/Tokyo');
    expect((await settings(tokyo.api_key)).timezone).toBe('Asia/Tokyo');
  });
});

describe('PATCH /v1/shop', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await createShop('Patchable');
  });

  it.each<[string, Record<string, unknown>]>([
    ['timezone', { timezone: 'America/New_York' }],
    ['shipping_cutoff', { shipping_cutoff: '00:00', timezone: 'UTC' }],
    ['shipping_cutoff late', { shipping_cutoff: '23:59' }],
    ['non_shipping_days', { non_shipping_days: ['sat', 'sun', '2026-10-01', '2028-02-29'] }],
    ['quiet_hours', { quiet_hours: { start: '22:30', end: '07:00' } }],
    ['reminder bounds', { reminder_lead_minutes: 0, reminder_min_order_age_minutes: 1440 }],
    ['name and lead', { name: 'Renamed', reminder_lead_minutes: 720 }],
  ])('accepts and persists %s', async (_label, body) => {
    const before = await auditCount(shop.shop_id);
    const res = await patch(shop, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject(body);
    expect(await settings(shop.api_key)).toMatchObject(body);
    expect(await auditCount(shop.shop_id)).toBe(before + 1);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ timezone: 'UTC+8' }, 'timezone'],
    [{ timezone: '+08:00' }, 'timezone'],
    [{ timezone: 'Not/AZone' }, 'timezone'],
    [{ shipping_cutoff: '24:00' }, 'shipping_cutoff'],
    [{ shipping_cutoff: '6pm' }, 'shipping_cutoff'],
    [{ shipping_cutoff: '18:60' }, 'shipping_cutoff'],
    [{ shipping_cutoff: '8:00' }, 'shipping_cutoff'],
    [{ quiet_hours: { start: '21:00', end: '21:00' } }, 'quiet_hours.end'],
    [{ quiet_hours: { start: '21:00' } }, 'quiet_hours.end'],
    [{ quiet_hours: { start: '25:00', end: '08:00' } }, 'quiet_hours.start'],
    [{ non_shipping_days: ['someday'] }, 'non_shipping_days.0'],
    [{ non_shipping_days: ['sun', '2026-02-30'] }, 'non_shipping_days.1'],
    [{ non_shipping_days: ['2026-13-01'] }, 'non_shipping_days.0'],
    [{ reminder_lead_minutes: -1 }, 'reminder_lead_minutes'],
    [{ reminder_lead_minutes: 1.5 }, 'reminder_lead_minutes'],
    [{ reminder_lead_minutes: 100000 }, 'reminder_lead_minutes'],
    [{}, ''],
    [{ shipping_cutoff: '17:00', colour: 'red' }, ''],
  ])('rejects %j at path "%s" and changes nothing', async (body, path) => {
    const own = await createShop('Rejecting');
    const before = await settings(own.api_key);
    const res = await patch(own, body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.details!.map((d) => d.path)).toContain(path);
    expect(await settings(own.api_key)).toEqual(before);
    expect(await auditCount(own.shop_id)).toBe(0);
  });
});

describe('scopes on /v1/shop', () => {
  it('lets a read key GET but not PATCH, and a templates key neither', async () => {
    const shop = await createShop('Scoped');
    const read = await issueKey(shop, ['read']);
    const templates = await issueKey(shop, ['templates']);

    expect((await call('/v1/shop', { key: read })).status).toBe(200);
    const denied = await patch(shop, { shipping_cutoff: '12:00' }, read);
    expect(denied.status).toBe(403);
    expect((await errorOf(denied)).code).toBe('forbidden');
    expect((await settings(shop.api_key)).shipping_cutoff).toBe('18:00');

    const get = await call('/v1/shop', { key: templates });
    expect(get.status).toBe(403);
    expect((await errorOf(get)).code).toBe('forbidden');
    expect((await patch(shop, { shipping_cutoff: '12:00' }, templates)).status).toBe(403);
  });
});
