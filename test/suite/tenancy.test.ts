/**
 * Tenant isolation and scopes over every documented operation, generated from /openapi.json:
 *  - shop A's admin key against shop B's ids (path, query and body) answers 403/404 where the id is
 *    B's, never shows B's data, and changes none of B's rows;
 *  - A's signatures and tokens against B's unauthenticated receivers (webhooks, receipts, replies,
 *    unsubscribe) answer 401/403/404 and change nothing of B;
 *  - a `read` or `templates` key answers 403 on every operation its scope does not grant, and that
 *    403 changes nothing; an operation it does grant is not refused.
 * A route added to the OpenAPI document is covered without a new test.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature, formParams } from '../../workers/gateway/inbound/twilio-signature';
import { seedMessage } from '../../workers/gateway/messages/fixtures';
import { orderCreated } from '../helpers/events';
import { call, createShop, sendEvent, sign, type TestShop } from '../helpers/gateway';
import { seedCredentials } from '../helpers/seed';
import { issueKey } from '../helpers/templates';
import { exampleOf, fillPath, operations, type Doc, type Op } from './openapi-ops';

type Tenant = TestShop & { ids: Record<string, string>; marker: string; aliyunToken: string; twilioToken: string };

let doc: Doc;
let ops: Op[];
let a: Tenant;
let b: Tenant;
const tried = { crossTenant: 0, scopes: 0 };

async function tenant(name: string, versions: number): Promise<Tenant> {
  const shop = await createShop(name);
  const marker = `${name}买家${crypto.randomUUID().slice(0, 8)}`;
  const orderId = `${name}-order-${crypto.randomUUID().slice(0, 8)}`;
  const created = orderCreated(orderId, Date.now() - 60_000);
  (created.data.buyer as { name: string }).name = marker;
  expect((await sendEvent(shop, created)).status).toBe(202);
  const key = await issueKey(shop, ['read']);
  const m = await seedMessage(shop.shop_id, { orderId, channel: 'email', recipient: `${name}@example.com` });
  const doc = { parts: { body: `${marker} {{ buyer.name }}` } };
  for (let v = 0; v < versions; v++) {
    const path = '/v1/templates/thank_you/sms/zh-CN/versions';
    expect((await call(path, { method: 'POST', key: shop.api_key, json: doc })).status).toBe(201);
  }
  const blocked = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const bl = await call('/v1/blacklist', {
    method: 'POST',
    key: shop.api_key,
    json: { type: 'phone', value: blocked },
  });
  expect(bl.status).toBeLessThan(300);
  const creds = { accessKeyId: `LTAI-${name}`, accessKeySecret: `secret-${name}`, signName: '茶小铺' };
  const put = await call('/v1/delivery/providers/aliyun_sms', { method: 'PUT', key: shop.api_key, json: creds });
  const url = ((await put.json()) as { callback_urls: { receipts_url: string } }).callback_urls.receipts_url;
  const twilioToken = `twilio-token-${name}`;
  await seedCredentials(shop.shop_id, 'twilio', 'sms', {
    accountSid: `AC${'b'.repeat(32)}`,
    authToken: twilioToken,
    from: '+14155550100',
  });
  const ids = {
    shop_id: shop.shop_id,
    order_id: orderId,
    key_id: key.id,
    message_id: m.id,
    version: String(versions),
    kind: 'thank_you',
    channel: 'sms',
    locale: 'zh-CN',
    provider: 'aliyun_sms',
    type: 'phone',
    value: blocked,
    flow: 'unpaid-reminders',
    // The same buyer id in both shops: only the key's shop's buyer may ever be touched.
    buyer_id: 'buyer-1',
  };
  return { ...shop, ids, marker, aliyunToken: new URL(url).searchParams.get('token')!, twilioToken };
}

/** Every row of every table that carries the shop's id, plus the shop row itself. */
async function snapshot(shopId: string): Promise<string> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%`shop_id`%'",
  ).all<{ name: string }>();
  const out: Record<string, string[]> = {};
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}" WHERE shop_id = ?`).bind(shopId).all();
    out[name] = rows.results.map((r) => JSON.stringify(r)).sort();
  }
  out.shops = [JSON.stringify(await env.DB.prepare('SELECT * FROM shops WHERE id = ?').bind(shopId).first())];
  return JSON.stringify(out);
}

/**
 * Ids that name one shop's own rows: with another shop's value the answer must be 403 or 404.
 * A blacklist `value` is a phone or email rather than an id: deleting one A never listed is an
 * idempotent 204, and the snapshot check below proves B's entry stays.
 */
const OWNED = new Set(['order_id', 'key_id', 'message_id', 'version', 'buyer_id']);

async function send(op: Op, ids: Record<string, string>, auth: { key?: string; as?: Tenant; target?: Tenant }) {
  const query = op.params
    .filter((p) => p.in === 'query' && p.name !== 'token' && (p.required || p.name in ids))
    .map((p) => `${p.name}=${encodeURIComponent(ids[p.name] ?? 'x')}`);
  if (op.params.some((p) => p.in === 'query' && p.name === 'token')) query.push(`token=${auth.as!.aliyunToken}`);
  const path = fillPath(op.path, ids) + (query.length ? `?${query.join('&')}` : '');
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (op.bodyType) {
    const value = exampleOf(doc, op.bodySchema, ids);
    headers['content-type'] = op.bodyType;
    body =
      op.bodyType === 'application/json'
        ? JSON.stringify(value)
        : new URLSearchParams(
            Object.entries((value as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)]),
          ).toString();
  }
  if (op.params.some((p) => p.name === 'webhook-signature')) {
    const id = `tenancy-${crypto.randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const event = orderCreated(`tenancy-${crypto.randomUUID().slice(0, 8)}`, Date.now());
    body = JSON.stringify(event);
    headers['content-type'] = 'application/json';
    Object.assign(headers, {
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': await sign(auth.as!.webhook_secret, id, ts, body),
    });
  }
  if (op.params.some((p) => p.name === 'x-twilio-signature')) {
    body = new URLSearchParams({
      MessageSid: 'SM-x',
      MessageStatus: 'delivered',
      From: '+8613800138000',
      Body: 'STOP',
    }).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['x-twilio-signature'] = await twilioSignature(
      auth.as!.twilioToken,
      `http://orderbell.test${path}`,
      formParams(body),
    );
  }
  const res = await call(path, { method: op.method, key: auth.key, headers, body });
  return { res, text: await res.text(), path };
}

beforeAll(async () => {
  doc = (await (await call('/openapi.json')).json()) as Doc;
  ops = operations(doc);
  // B has a version 2 that A lacks, so B's version number names a row only B owns.
  a = await tenant('甲', 1);
  b = await tenant('乙', 2);
}, 60_000);

describe('tenant isolation, generated from /openapi.json', () => {
  it("never lets shop A's receivers credentials touch shop B", async () => {
    const receivers = ops.filter((op) => op.security === 'none' && op.path.includes('{shop_id}'));
    expect(receivers.length).toBeGreaterThanOrEqual(6);
    for (const op of receivers) {
      // B's shop in the path, everything else (message ids, signatures, tokens) A's.
      const ids = { ...a.ids, shop_id: b.shop_id };
      const before = await snapshot(b.shop_id);
      const { res, text, path } = await send(op, ids, { as: a });
      tried.crossTenant++;
      expect([401, 403, 404], `${op.method} ${path}: ${res.status} ${text}`).toContain(res.status);
      expect(text).not.toContain(b.marker);
      expect(await snapshot(b.shop_id), `${op.method} ${path}`).toBe(before);
    }
  }, 120_000);

  it("answers A's admin key on B's ids with 403/404, shows none of B's data and changes nothing of B", async () => {
    const keyed = ops.filter((op) => op.security === 'apiKey');
    expect(keyed.length).toBeGreaterThanOrEqual(25);
    for (const op of keyed) {
      const before = await snapshot(b.shop_id);
      const { res, text, path } = await send(op, b.ids, { key: a.api_key, as: a });
      tried.crossTenant++;
      const context = `${op.method} ${path}: ${res.status} ${text.slice(0, 200)}`;
      expect(res.status, context).toBeLessThan(500);
      if (op.params.some((p) => p.in === 'path' && OWNED.has(p.name)))
        expect([403, 404], context).toContain(res.status);
      expect(text, context).not.toContain(b.marker);
      expect(await snapshot(b.shop_id), context).toBe(before);
    }
  }, 120_000);
});

/** Any key may read who it is (`GET /v1/key`: its scopes and its shop's name, for the console). */
const whoAmI = (op: Op) => op.method === 'GET' && op.path === '/v1/key';

/** What each narrower scope may use; everything else must answer 403. */
const grants: Record<'read' | 'templates', (op: Op) => boolean> = {
  // The audit log is admin-only: it says who changed what, including buyers' opt-outs.
  read: (op) =>
    (op.method === 'GET' || op.method === 'HEAD') && !op.path.startsWith('/v1/api-keys') && op.path !== '/v1/audit',
  templates: (op) => op.path.startsWith('/v1/templates') || whoAmI(op),
};

describe('scopes, generated from /openapi.json', () => {
  it.each(['read', 'templates'] as const)(
    'a %s key is refused every operation outside its scope',
    async (scope) => {
      const key = (await issueKey(a, [scope])).key;
      const keyed = ops.filter((op) => op.security === 'apiKey');
      let refused = 0;
      for (const op of keyed) {
        const before = await snapshot(a.shop_id);
        const { res, text, path } = await send(op, a.ids, { key, as: a });
        tried.scopes++;
        const context = `${scope} ${op.method} ${path}: ${res.status} ${text.slice(0, 200)}`;
        if (grants[scope](op)) {
          expect([401, 403], context).not.toContain(res.status);
        } else {
          refused++;
          expect(res.status, context).toBe(403);
          expect(await snapshot(a.shop_id), context).toBe(before);
        }
      }
      expect(refused).toBeGreaterThan(5);
    },
    120_000,
  );

  it('answers 401 on every key-protected operation without a key', async () => {
    for (const op of ops.filter((o) => o.security !== 'none')) {
      const { res, path } = await send(op, a.ids, { as: a });
      tried.scopes++;
      expect(res.status, `${op.method} ${path}`).toBe(401);
    }
    console.log(
      `tenancy: ${ops.length} operations, ${tried.crossTenant} cross-tenant and ${tried.scopes} scope requests`,
    );
  }, 120_000);
});
