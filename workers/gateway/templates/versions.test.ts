import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { auditRows, draft, issueKey, previewOf, publish, sms, type ErrorBody } from '../../../test/helpers/templates';

type Effective = {
  source: string;
  effective_locale: string;
  published_version: number | null;
  document: { parts: Record<string, string> };
  versions: { version: number; status: string; created_by: string | null; published_at: string | null }[];
};
type Version = { version: number; status: string; created_by: string; document: { parts: Record<string, string> } };

const path = 'shipped/sms/zh-CN';
const v1 = '{{ buyer.name }}您好，您的订单已发货，{{ shipment.carrier }} {{ shipment.tracking_number }}。';
const v2 = '{{ buyer.name }}您好，包裹已交给{{ shipment.carrier }}，单号 {{ shipment.tracking_number }}，请留意查收。';

let shop: TestShop;
let editor: { id: string; key: string };
beforeAll(async () => {
  shop = await createShop('Versions');
  editor = await issueKey(shop, ['templates']);
});

const effective = async (p = path, key = editor.key) =>
  (await (await call(`/v1/templates/${p}`, { key })).json()) as Effective;
const effectiveText = async () =>
  (
    (await (await previewOf(editor.key, { kind: 'shipped', channel: 'sms', locale: 'zh-CN' })).json()) as {
      rendered: { body: string };
    }
  ).rendered.body;

describe('draft, publish and rollback with a templates-scoped key', () => {
  it('walks a template from default through two versions and back', async () => {
    expect((await effective()).source).toBe('default');
    const defaultText = await effectiveText();

    const created = await draft(editor.key, path, sms(v1));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      version: 1,
      status: 'draft',
      created_by: editor.id,
      document: { parts: { body: v1 } },
    });
    // A draft is not live.
    expect((await effective()).source).toBe('default');
    expect(await effectiveText()).toBe(defaultText);

    expect((await publish(editor.key, path, 1)).status).toBe(200);
    expect(await effectiveText()).toBe('王小明您好，您的订单已发货，顺丰速运 SF1234567890123。');

    expect(((await (await draft(editor.key, path, sms(v2))).json()) as Version).version).toBe(2);
    const published = await publish(editor.key, path, 2);
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ version: 2, status: 'published' });
    expect(await effectiveText()).toBe('王小明您好，包裹已交给顺丰速运，单号 SF1234567890123，请留意查收。');

    const state = await effective();
    expect(state).toMatchObject({
      source: 'published',
      effective_locale: 'zh-CN',
      published_version: 2,
      document: { parts: { body: v2 } },
    });
    expect(state.versions.map((v) => [v.version, v.status, v.created_by])).toEqual([
      [2, 'published', editor.id],
      [1, 'archived', editor.id],
    ]);

    const rolledBack = await call(`/v1/templates/${path}/rollback`, {
      method: 'POST',
      key: editor.key,
      json: { version: 1 },
    });
    expect(rolledBack.status).toBe(200);
    expect(await rolledBack.json()).toMatchObject({ version: 1, status: 'published' });
    expect(await effectiveText()).toBe('王小明您好，您的订单已发货，顺丰速运 SF1234567890123。');
    expect((await effective()).versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'archived'],
      [1, 'published'],
    ]);

    const row = await env.DB.prepare(
      'SELECT t.published_version_id AS pub, v.version FROM templates t JOIN template_versions v ON v.id = t.published_version_id WHERE t.shop_id = ?',
    )
      .bind(shop.shop_id)
      .first<{ version: number }>();
    expect(row!.version).toBe(1);

    // One audit row per change, each naming the key and what changed, never the text.
    const drafts = await auditRows(shop.shop_id, 'template.draft');
    expect(drafts.map((a) => [a.actor_key_id, a.changes])).toEqual([
      [editor.id, { kind: 'shipped', channel: 'sms', locale: 'zh-CN', version: 1, variants: [] }],
      [editor.id, { kind: 'shipped', channel: 'sms', locale: 'zh-CN', version: 2, variants: [] }],
    ]);
    const publishes = await auditRows(shop.shop_id, 'template.publish');
    expect(publishes.map((a) => [a.actor_key_id, a.changes!.version, a.changes!.previous_version])).toEqual([
      [editor.id, 1, null],
      [editor.id, 2, 1],
    ]);
    const rollbacks = await auditRows(shop.shop_id, 'template.rollback');
    expect(rollbacks).toEqual([
      {
        actor_key_id: editor.id,
        entity_id: expect.stringMatching(/^tv_/),
        changes: { kind: 'shipped', channel: 'sms', locale: 'zh-CN', from: 2, to: 1 },
      },
    ]);
    expect(JSON.stringify([...drafts, ...publishes, ...rollbacks])).not.toContain('您好');
  });

  it('reads one version back and lists the shop templates', async () => {
    const res = await call(`/v1/templates/${path}/versions/2`, { key: editor.key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: 'shipped',
      channel: 'sms',
      locale: 'zh-CN',
      version: 2,
      document: { parts: { body: v2 } },
    });
    expect((await call(`/v1/templates/${path}/versions/9`, { key: editor.key })).status).toBe(404);

    const list = (await (await call('/v1/templates', { key: editor.key })).json()) as { data: unknown[] };
    expect(list.data).toEqual([
      {
        kind: 'shipped',
        channel: 'sms',
        locale: 'zh-CN',
        published_version: 1,
        latest_version: 2,
        updated_at: expect.any(String),
      },
    ]);
  });

  it('answers rollback to the current version with 409 and to a missing one with 404', async () => {
    const rollback = (version: number) =>
      call(`/v1/templates/${path}/rollback`, { method: 'POST', key: editor.key, json: { version } });
    const current = await rollback(1);
    expect(current.status).toBe(409);
    expect(((await current.json()) as ErrorBody).error.code).toBe('conflict');
    expect((await rollback(7)).status).toBe(404);
    expect((await publish(editor.key, path, 1)).status).toBe(409);
    expect(
      (await call('/v1/templates/thank_you/sms/en/rollback', { method: 'POST', key: editor.key, json: { version: 1 } }))
        .status,
    ).toBe(404);
  });

  it('canonicalises the locale and rejects one that is not BCP 47', async () => {
    expect((await effective('shipped/sms/zh-cn')).published_version).toBe(1);
    const bad = await call('/v1/templates/shipped/sms/not_a_locale!', { key: editor.key });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.details![0]!.path).toBe('locale');
  });
});

describe('built-in defaults', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['en', 'en'],
    ['zh-TW', 'zh-CN'],
    ['fr', 'en'],
  ])('serve a shop without templates for %s (from %s)', async (locale, from) => {
    const fresh = await createShop('No templates');
    const res = await call(`/v1/templates/unpaid_reminder/sms/${locale}`, { key: fresh.api_key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Effective;
    expect(body).toMatchObject({ source: 'default', effective_locale: from, published_version: null, versions: [] });
    expect(body.document.parts.body).toContain('{{');
    const rendered = await previewOf(fresh.api_key, { kind: 'unpaid_reminder', channel: 'sms', locale });
    expect(rendered.status).toBe(200);
    const preview = (await rendered.json()) as { source: string; rendered: { body: string } };
    expect(preview.source).toBe('default');
    expect(preview.rendered.body).not.toContain('{{');
    expect(preview.rendered.body.length).toBeGreaterThan(10);
  });
});

describe('concurrent drafts', () => {
  it('get distinct version numbers or a clean 409, never a 500', async () => {
    const p = 'review_request/sms/zh-CN';
    const body = (i: number) => sms(`{{ buyer.name }}您好，第${i}版：{{ review_url }} 拒收请回复R`);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => draft(editor.key, p, body(i))));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = await Promise.all(
      results.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as Version).version),
    );
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created).size).toBe(created.length);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n, count(DISTINCT t.id) AS templates FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE t.shop_id = ? AND t.kind = 'review_request'",
    )
      .bind(shop.shop_id)
      .first<{ n: number; templates: number }>();
    expect(stored).toEqual({ n: created.length, templates: 1 });
  });
});
