import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { auditRows, draft, issueKey, sms, type ErrorBody } from '../../../test/helpers/templates';

type Sent = { message_id: string; status: string; provider: string; variant: string; rendered: Record<string, string> };

let shop: TestShop;
let editor: { id: string; key: string };
beforeAll(async () => {
  shop = await createShop('Test sends');
  editor = await issueKey(shop, ['templates']);
});

const testSend = (json: Record<string, unknown>) =>
  call('/v1/templates/test-send', { method: 'POST', key: editor.key, json });

describe('test send', () => {
  it('queues one message for the dispatcher', async () => {
    expect((await draft(editor.key, 'delivered/sms/zh-CN', sms('{{ buyer.name }}您好，包裹已签收。'))).status).toBe(
      201,
    );
    const res = await testSend({
      kind: 'delivered',
      channel: 'sms',
      locale: 'zh-CN',
      version: 1,
      recipient: '+8613800138000',
    });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as Sent;
    expect(sent).toMatchObject({
      status: 'queued',
      variant: 'base',
      rendered: { body: '王小明您好，包裹已签收。' },
    });

    const { results } = await env.DB.prepare('SELECT * FROM messages WHERE shop_id = ?')
      .bind(shop.shop_id)
      .all<Record<string, unknown>>();
    expect(results).toHaveLength(1);
    const version = await env.DB.prepare('SELECT id FROM template_versions WHERE shop_id = ? AND version = 1')
      .bind(shop.shop_id)
      .first<{ id: string }>();
    expect(results[0]).toMatchObject({
      id: sent.message_id,
      order_id: expect.stringMatching(/^test_/),
      kind: 'delivered',
      step: 0,
      channel: 'sms',
      recipient: '+8613800138000',
      status: 'queued',
      provider: null,
      template_version_id: version!.id,
      variant: 'base',
      rendered: JSON.stringify({ body: '王小明您好，包裹已签收。' }),
      due_at: expect.any(Number),
      sent_at: null,
    });
    expect((await auditRows(shop.shop_id, 'template.test_send')).map((a) => a.actor_key_id)).toEqual([editor.id]);
  });

  it('is written by the outbox as a test send (purpose test), not recognised by its order id', async () => {
    const res = await testSend({ kind: 'shipped', channel: 'sms', locale: 'zh-CN', recipient: '+8613800138000' });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as Sent;
    const row = await env.DB.prepare('SELECT purpose, status, due_at FROM messages WHERE id = ?')
      .bind(sent.message_id)
      .first();
    expect(row).toMatchObject({ purpose: 'test', status: 'queued', due_at: expect.any(Number) });
  });

  it('sends the default when no document or version is given, without a version id', async () => {
    const res = await testSend({ kind: 'shipped', channel: 'email', locale: 'en', recipient: 'staff@example.com' });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as Sent;
    expect(Object.keys(sent.rendered).sort()).toEqual(['html', 'subject', 'text']);
    const row = await env.DB.prepare('SELECT template_version_id, recipient FROM messages WHERE id = ?')
      .bind(sent.message_id)
      .first();
    expect(row).toEqual({ template_version_id: null, recipient: 'staff@example.com' });
  });

  it.each([
    ['sms', '13800138000'],
    ['email', 'not-an-email'],
    ['webhook', 'ftp://example.com/x'],
  ])('rejects a %s recipient %s with 400 and stores nothing', async (channel, recipient) => {
    const before = await env.DB.prepare('SELECT count(*) AS n FROM messages WHERE shop_id = ?')
      .bind(shop.shop_id)
      .first<{ n: number }>();
    const res = await testSend({ kind: 'shipped', channel, locale: 'en', recipient });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details).toMatchObject([{ path: 'recipient' }]);
    const after = await env.DB.prepare('SELECT count(*) AS n FROM messages WHERE shop_id = ?')
      .bind(shop.shop_id)
      .first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it('does not send an invalid document', async () => {
    const res = await testSend({
      kind: 'shipped',
      channel: 'sms',
      locale: 'en',
      document: sms('{{ nope }}'),
      recipient: '+8613800138000',
    });
    expect(res.status).toBe(422);
  });
});
