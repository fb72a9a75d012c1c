import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, type TestShop } from '../../../test/helpers/gateway';
import { issueKey } from '../../../test/helpers/templates';
import { messageKindNames } from '../../../shared/templates/kinds';

type Kind = {
  kind: string;
  class: string;
  audience: string;
  variables: { path: string; type: string; description: string; sample: unknown; item?: { path: string }[] }[];
};

let shop: TestShop;
let key: string;
beforeAll(async () => {
  shop = await createShop('Kinds');
  key = (await issueKey(shop, ['templates'])).key;
});

describe('GET /v1/templates/kinds', () => {
  it('lists every kind with its class, audience and variable catalogue', async () => {
    const res = await call('/v1/templates/kinds', { key });
    expect(res.status).toBe(200);
    const kinds = ((await res.json()) as { data: Kind[] }).data;
    expect(kinds.map((k) => k.kind)).toEqual(messageKindNames);
    const unpaid = kinds.find((k) => k.kind === 'unpaid_reminder')!;
    expect(unpaid).toMatchObject({ class: 'service', audience: 'buyer' });
    expect(unpaid.variables.map((v) => v.path)).toEqual(
      expect.arrayContaining([
        'buyer.name',
        'order.id',
        'order.total',
        'order.items',
        'cutoff.local_time',
        'pay_url',
        'shop.name',
      ]),
    );
    expect(unpaid.variables.find((v) => v.path === 'pay_url')).toEqual({
      path: 'pay_url',
      type: 'url',
      description: expect.any(String),
      sample: expect.stringMatching(/^https:/),
    });
    expect(unpaid.variables.find((v) => v.path === 'order.items')!.item!.map((i) => i.path)).toEqual([
      'title',
      'quantity',
      'unit_price',
    ]);
    expect(kinds.find((k) => k.kind === 'negative_review_alert')).toMatchObject({
      class: 'transactional',
      audience: 'staff',
    });
  });
});

describe('OpenAPI', () => {
  it('documents every template operation with the apiKey scheme and the 422 error', async () => {
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    };
    const operations = [
      ['/v1/templates/kinds', 'get'],
      ['/v1/templates', 'get'],
      ['/v1/templates/{kind}/{channel}/{locale}', 'get'],
      ['/v1/templates/{kind}/{channel}/{locale}/versions', 'post'],
      ['/v1/templates/{kind}/{channel}/{locale}/versions/{version}', 'get'],
      ['/v1/templates/{kind}/{channel}/{locale}/versions/{version}/publish', 'post'],
      ['/v1/templates/{kind}/{channel}/{locale}/rollback', 'post'],
      ['/v1/templates/{kind}/{channel}/{locale}/revert', 'post'],
      ['/v1/templates/preview', 'post'],
      ['/v1/templates/test-send', 'post'],
    ] as const;
    for (const [path, method] of operations) {
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ apiKey: [] }]);
    }
    expect(Object.keys(doc.paths['/v1/templates/{kind}/{channel}/{locale}/versions']!.post!.responses)).toContain(
      '422',
    );
    expect(Object.keys(doc.paths['/v1/templates/preview']!.post!.responses)).toContain('422');
  });
});
