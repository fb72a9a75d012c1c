import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderCreated } from '../../../test/helpers/events';
import { call, createShop, sendEvent, type TestShop } from '../../../test/helpers/gateway';
import { draft, issueKey, previewOf, publish, sms, type ErrorBody } from '../../../test/helpers/templates';

const path = 'thank_you/sms/zh-CN';
const text = '{{ buyer.name }}您好，感谢您在{{ shop.name }}下单，我们会尽快为您发货。';

let a: TestShop;
let b: TestShop;
let templatesKey: string;
let readKey: string;
beforeAll(async () => {
  a = await createShop('Scopes A');
  b = await createShop('Scopes B');
  templatesKey = (await issueKey(a, ['templates'])).key;
  readKey = (await issueKey(a, ['read'])).key;
  expect((await draft(templatesKey, path, sms(text))).status).toBe(201);
  expect((await publish(templatesKey, path, 1)).status).toBe(200);
});

const code = async (res: Response) => ((await res.json()) as ErrorBody).error.code;

describe('scopes', () => {
  it('lets a read key and an admin key read templates', async () => {
    for (const key of [readKey, a.api_key]) {
      for (const url of [
        '/v1/templates',
        '/v1/templates/kinds',
        `/v1/templates/${path}`,
        `/v1/templates/${path}/versions/1`,
      ]) {
        expect([url, (await call(url, { key })).status]).toEqual([url, 200]);
      }
    }
  });

  it('forbids a read key every template write', async () => {
    const attempts = [
      draft(readKey, path, sms(text)),
      publish(readKey, path, 1),
      call(`/v1/templates/${path}/rollback`, { method: 'POST', key: readKey, json: { version: 1 } }),
      previewOf(readKey, { kind: 'thank_you', channel: 'sms', locale: 'zh-CN' }),
      call('/v1/templates/test-send', {
        method: 'POST',
        key: readKey,
        json: { kind: 'thank_you', channel: 'sms', locale: 'zh-CN', recipient: '+8613800138000' },
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(await code(res)).toBe('forbidden');
    }
    const versions = await env.DB.prepare('SELECT count(*) AS n FROM template_versions WHERE shop_id = ?')
      .bind(a.shop_id)
      .first<{ n: number }>();
    expect(versions!.n).toBe(1);
  });

  it('lets an admin key write templates', async () => {
    expect((await draft(a.api_key, 'thank_you/sms/en', sms('Thanks, {{ buyer.name }}!'))).status).toBe(201);
  });

  it('keeps a templates-only key out of every other route', async () => {
    const attempts = [
      call('/v1/shop', { key: templatesKey }),
      call('/v1/shop', { method: 'PATCH', key: templatesKey, json: { name: 'taken over' } }),
      call('/v1/shop/webhook-secret/rotate', { method: 'POST', key: templatesKey }),
      call('/v1/orders/x', { key: templatesKey }),
      call('/v1/api-keys', { key: templatesKey }),
      call('/v1/api-keys', { method: 'POST', key: templatesKey, json: { name: 'escalate', scopes: ['admin'] } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(await code(res)).toBe('forbidden');
    }
  });

  it("needs the read scope as well to preview with a real order's data", async () => {
    const orderId = `scoped-${crypto.randomUUID()}`;
    const created = orderCreated(orderId, Date.now(), { total: '4321.00' });
    (created.data.buyer as { name: string }).name = '韩梅梅';
    expect((await sendEvent(a, created)).status).toBe(202);
    const ask = { kind: 'thank_you', channel: 'sms', locale: 'zh-CN', order_id: orderId };
    const refused = await previewOf(templatesKey, ask);
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe('forbidden');
    const bothKey = (await issueKey(a, ['templates', 'read'])).key;
    for (const key of [bothKey, a.api_key]) {
      const res = await previewOf(key, ask);
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('韩梅梅');
    }
    const sample = await previewOf(templatesKey, { kind: 'thank_you', channel: 'sms', locale: 'zh-CN' });
    expect(sample.status).toBe(200);
    expect(JSON.stringify(await sample.json())).not.toContain('韩梅梅');
  });

  it('requires a key at all', async () => {
    expect((await call('/v1/templates')).status).toBe(401);
    expect((await call('/v1/templates/kinds')).status).toBe(401);
  });
});

describe('tenant isolation', () => {
  it("hides A's templates from B's key and serves B its own default", async () => {
    const list = (await (await call('/v1/templates', { key: b.api_key })).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
    const effective = (await (await call(`/v1/templates/${path}`, { key: b.api_key })).json()) as {
      source: string;
      versions: unknown[];
    };
    expect(effective).toMatchObject({ source: 'default', versions: [] });
    expect((await call(`/v1/templates/${path}/versions/1`, { key: b.api_key })).status).toBe(404);
    expect(
      (await previewOf(b.api_key, { kind: 'thank_you', channel: 'sms', locale: 'zh-CN', version: 1 })).status,
    ).toBe(404);
  });

  it("does not let B publish, roll back or draft into A's template", async () => {
    expect((await publish(b.api_key, path, 1)).status).toBe(404);
    expect(
      (await call(`/v1/templates/${path}/rollback`, { method: 'POST', key: b.api_key, json: { version: 1 } })).status,
    ).toBe(404);
    expect((await draft(b.api_key, path, sms('B 的文案 {{ buyer.name }}'))).status).toBe(201);
    const rows = await env.DB.prepare(
      "SELECT shop_id, count(*) AS n FROM template_versions WHERE template_id IN (SELECT id FROM templates WHERE kind = 'thank_you' AND channel = 'sms' AND locale = 'zh-CN' AND shop_id IN (?, ?)) GROUP BY shop_id ORDER BY shop_id = ? DESC",
    )
      .bind(a.shop_id, b.shop_id, a.shop_id)
      .all<{ shop_id: string; n: number }>();
    expect(rows.results).toEqual([
      { shop_id: a.shop_id, n: 1 },
      { shop_id: b.shop_id, n: 1 },
    ]);
    const aText = (await (await call(`/v1/templates/${path}`, { key: templatesKey })).json()) as {
      document: { parts: { body: string } };
    };
    expect(aText.document.parts.body).toBe(text);
  });
});
