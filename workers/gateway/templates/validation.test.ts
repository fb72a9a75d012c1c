import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createShop, type TestShop } from '../../../test/helpers/gateway';
import { draft, issueKey, previewOf, sms, type ErrorBody } from '../../../test/helpers/templates';

let shop: TestShop;
let key: string;
beforeAll(async () => {
  shop = await createShop('Validation');
  key = (await issueKey(shop, ['templates'])).key;
});

const rejected = async (res: Response, status = 422) => {
  expect(res.status).toBe(status);
  return ((await res.json()) as ErrorBody).error;
};
const versionCount = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM template_versions WHERE shop_id = ?')
    .bind(shop.shop_id)
    .first<{ n: number }>())!.n;

describe('saving a draft validates the Liquid against the kind', () => {
  it('rejects an unknown variable with 422 naming part, line and column', async () => {
    const error = await rejected(await draft(key, 'shipped/sms/zh-CN', sms('您好，\n订单 {{ buyer.nmae }} 已发货')));
    expect(error.code).toBe('template_invalid');
    expect(error.details).toEqual([
      {
        path: 'body',
        line: 2,
        column: 7,
        message: expect.stringMatching(/^line 2, column 7: unknown variable "buyer\.nmae"/),
      },
    ]);
    expect(error.message).toContain('body, line 2, column 7');
    expect(await versionCount()).toBe(0);
  });

  it('rejects a variable of another kind (pay_url is not in shipped)', async () => {
    const error = await rejected(await draft(key, 'shipped/sms/zh-CN', sms('{{ pay_url }}')));
    expect(error.details).toMatchObject([{ path: 'body', line: 1, column: 4 }]);
  });

  it('rejects an unknown filter', async () => {
    const error = await rejected(await draft(key, 'shipped/sms/en', sms('Hi {{ buyer.name | shout }}')));
    expect(error.code).toBe('template_invalid');
    expect(error.details).toHaveLength(1);
    expect(error.details![0]).toMatchObject({ path: 'body', line: 1, column: expect.any(Number) });
    expect(error.details![0]!.message).toMatch(/shout/);
  });

  it.each([
    ["{% include 'x' %}", 'include'],
    ["{% render 'x' %}", 'render'],
    ["{% layout 'x' %}", 'layout'],
  ])('rejects %s: no partials beyond the stored text', async (source, tag) => {
    const error = await rejected(await draft(key, 'shipped/sms/en', sms(`Hi\n${source}`)));
    expect(error.code).toBe('template_invalid');
    expect(error.details![0]).toMatchObject({ path: 'body', line: 2, column: 1 });
    expect(error.details![0]!.message).toContain(tag);
  });

  it('names the email part and the variant the issue is in', async () => {
    const ok = { subject: '已发货', html: '<p>{{ buyer.name }}</p>', text: '{{ buyer.name }}' };
    const res = await draft(key, 'shipped/email/zh-CN', {
      parts: ok,
      variants: [
        { key: 'warm', parts: ok },
        { key: 'koala', audience: { persona: 'koala' }, parts: { ...ok, html: '<p>\n  {{ order.secret }}</p>' } },
      ],
    });
    const error = await rejected(res);
    expect(error.details).toEqual([expect.objectContaining({ path: 'variants.1.html', line: 2, column: 6 })]);
  });

  it('reports a syntax error with its position', async () => {
    const error = await rejected(await draft(key, 'shipped/sms/en', sms('Hi {% if buyer.name %}there')));
    expect(error.details![0]).toMatchObject({ path: 'body', line: 1 });
  });
});

describe('saving a draft checks the document shape (400)', () => {
  it.each<[string, unknown, string]>([
    ['email parts on sms', { parts: { subject: 'a', html: 'b', text: 'c' } }, 'parts'],
    ['a webhook payload on sms', { parts: { payload: '{}' } }, 'parts'],
    [
      'a variant called base',
      { parts: { body: 'a' }, variants: [{ key: 'base', parts: { body: 'b' } }] },
      'variants.0.key',
    ],
    [
      'duplicate variant keys',
      {
        parts: { body: 'a' },
        variants: [
          { key: 'x', parts: { body: 'b' } },
          { key: 'x', parts: { body: 'c' } },
        ],
      },
      'variants.1.key',
    ],
    [
      'an unknown persona',
      { parts: { body: 'a' }, variants: [{ key: 'x', audience: { persona: 'cat' }, parts: { body: 'b' } }] },
      'variants.0.audience.persona',
    ],
  ])('rejects %s', async (_name, document, path) => {
    const error = await rejected(await draft(key, 'shipped/sms/zh-CN', document), 400);
    expect(error.code).toBe('validation_failed');
    expect(error.details!.map((d) => d.path)).toContain(path);
  });

  it('rejects an unknown kind or channel in the path', async () => {
    expect((await draft(key, 'nope/sms/zh-CN', sms('x'))).status).toBe(400);
    expect((await draft(key, 'shipped/fax/zh-CN', sms('x'))).status).toBe(400);
  });
});

describe('preview validates an unsaved document the same way', () => {
  it('answers 422 with line and column', async () => {
    const res = await previewOf(key, {
      kind: 'shipped',
      channel: 'sms',
      locale: 'zh-CN',
      document: sms('\n\n  {{ order.totl }}'),
    });
    const error = await rejected(res);
    expect(error.details).toMatchObject([{ path: 'body', line: 3, column: 6 }]);
  });

  it('answers 422 when a webhook payload does not render to JSON', async () => {
    const res = await previewOf(key, {
      kind: 'shipped',
      channel: 'webhook',
      locale: 'en',
      document: { parts: { payload: '{"order": {{ order.id }}}' } },
    });
    const error = await rejected(res);
    expect(error.message).toContain('JSON');
  });

  it('rejects a document together with a version (400)', async () => {
    const res = await previewOf(key, { kind: 'shipped', channel: 'sms', locale: 'en', document: sms('x'), version: 1 });
    expect((await rejected(res, 400)).details).toMatchObject([{ path: 'version' }]);
  });
});

describe('saving refuses marketing wording outside promotional kinds (docs/MESSAGE-CLASSES.md)', () => {
  it('a service kind (unpaid reminder) with 优惠 is refused with 422, nothing stored', async () => {
    const before = await versionCount();
    const error = await rejected(
      await draft(key, 'unpaid_reminder/sms/zh-CN', sms('亲，付款再享优惠：{{ pay_url }} 拒收请回复R')),
    );
    expect(error.code).toBe('template_invalid');
    expect(error.details).toEqual([
      {
        path: 'body',
        message: expect.stringContaining(
          'unpaid_reminder is a service message and must not carry marketing wording ("优惠")',
        ),
        line: 1,
        column: 7,
      },
    ]);
    expect(await versionCount()).toBe(before);
  });

  it('a transactional kind with "coupon" in a variant is refused; a clean reminder is saved', async () => {
    const withVariant = {
      parts: { body: '已发货' },
      variants: [{ key: 'tiger', audience: { persona: 'tiger' }, parts: { body: 'Coupon inside' } }],
    };
    const error = await rejected(await draft(key, 'shipped/sms/en', withVariant));
    expect(error.details).toMatchObject([{ path: 'variants.0.body', line: 1, column: 1 }]);
    const clean = await draft(key, 'unpaid_reminder/sms/zh-CN', sms('亲，宝贝已为您留好：{{ pay_url }} 拒收请回复R'));
    expect(clean.status).toBe(201);
  });
});
