/** Revert to the built-in default: the default renders again, the versions stay, and it is audited. */
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { auditRows, draft, issueKey, previewOf, publish, sms, type ErrorBody } from '../../../test/helpers/templates';

const path = 'shipped/sms/zh-CN';
const custom = '{{ buyer.name }}您好，包裹已发出：{{ shipment.carrier }} {{ shipment.tracking_number }}。';

describe('POST /v1/templates/{kind}/{channel}/{locale}/revert', () => {
  it('puts the built-in default back in use, keeps the versions, and can publish them again', async () => {
    const shop = await createShop('Revert');
    const editor = await issueKey(shop, ['templates']);
    const text = async () =>
      (
        (await (await previewOf(editor.key, { kind: 'shipped', channel: 'sms', locale: 'zh-CN' })).json()) as {
          rendered: { body: string };
        }
      ).rendered.body;
    const revert = () => call(`/v1/templates/${path}/revert`, { method: 'POST', key: editor.key });

    const defaultText = await text();
    expect((await revert()).status).toBe(404); // no template of the shop yet
    await draft(editor.key, path, sms(custom));
    const nothingPublished = await revert();
    expect(nothingPublished.status).toBe(409);
    expect(((await nothingPublished.json()) as ErrorBody).error.code).toBe('conflict');

    expect((await publish(editor.key, path, 1)).status).toBe(200);
    expect(await text()).not.toBe(defaultText);

    const reverted = await revert();
    expect(reverted.status).toBe(200);
    expect(await reverted.json()).toEqual({
      kind: 'shipped',
      channel: 'sms',
      locale: 'zh-CN',
      custom: false,
      archived_version: 1,
    });
    expect(await text()).toBe(defaultText);
    const state = (await (await call(`/v1/templates/${path}`, { key: editor.key })).json()) as {
      source: string;
      published_version: number | null;
      versions: { version: number; status: string }[];
    };
    expect(state).toMatchObject({ source: 'default', published_version: null });
    expect(state.versions.map((v) => [v.version, v.status])).toEqual([[1, 'archived']]);
    expect((await revert()).status).toBe(409);

    expect(await auditRows(shop.shop_id, 'template.revert')).toEqual([
      {
        actor_key_id: editor.id,
        entity_id: expect.stringMatching(/^tpl_/),
        changes: { kind: 'shipped', channel: 'sms', locale: 'zh-CN' },
      },
    ]);

    // The archived version can be published again.
    expect((await publish(editor.key, path, 1)).status).toBe(200);
    expect(await text()).not.toBe(defaultText);
  });

  it('needs the templates scope', async () => {
    const shop = await createShop('Revert scopes');
    const reader = await issueKey(shop, ['read']);
    expect((await call(`/v1/templates/${path}/revert`, { method: 'POST', key: reader.key })).status).toBe(403);
  });
});
