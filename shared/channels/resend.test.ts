/**
 * The Resend adapter's exact request (send email API with Idempotency-Key),
 * RFC 8058 headers only on non-transactional mail, errors, and lookup.
 */
import { describe, expect, it } from 'vitest';
import { contextWith, fakeFetch, json, outbound } from './lib/testing';
import { resend } from './resend';

const credentials = { apiKey: 're_test_123456789', from: '茶叶小铺 <orders@tea.example>' };
const rendered = { subject: '您的订单已发货', html: '<p>订单 <b>A1001</b> 已发货。</p>', text: '订单 A1001 已发货。' };
const promotional = outbound({
  kind: 'review_request',
  transactional: false,
  rendered,
  unsubscribeUrl: 'https://bell.example/u/tok_abc?c=email',
});

const expectedRequest = (body: object) => ({
  method: 'POST',
  url: 'https://api.resend.com/emails',
  headers: {
    authorization: 'Bearer re_test_123456789',
    'content-type': 'application/json',
    'idempotency-key': 'msg_01TEST',
  },
  body: JSON.stringify(body),
  redirect: 'follow',
});

describe('resend adapter', () => {
  it('sends non-transactional mail with one-click unsubscribe headers', async () => {
    const fake = fakeFetch(json({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' }));
    const result = await resend.send(promotional, credentials, contextWith(fake));
    expect(result).toEqual({ providerMessageId: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794', status: 'sent' });
    expect(fake.requests).toEqual([
      expectedRequest({
        from: '茶叶小铺 <orders@tea.example>',
        to: ['buyer@example.com'],
        subject: '您的订单已发货',
        html: '<p>订单 <b>A1001</b> 已发货。</p>',
        text: '订单 A1001 已发货。',
        headers: {
          'List-Unsubscribe': '<https://bell.example/u/tok_abc?c=email>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      }),
    ]);
    fake.assertDone();
  });

  it('sends transactional mail without unsubscribe headers, even when a URL is known', async () => {
    const fake = fakeFetch(json({ id: 'em_2' }));
    const message = { ...promotional, kind: 'shipped' as const, transactional: true };
    await resend.send(message, credentials, contextWith(fake));
    expect(fake.requests).toEqual([
      expectedRequest({ from: credentials.from, to: ['buyer@example.com'], ...rendered }),
    ]);
    fake.assertDone();
  });

  it('omits the one-click signal for a non-HTTPS unsubscribe URL (RFC 8058 section 3.1)', async () => {
    const fake = fakeFetch(json({ id: 'em_3' }));
    await resend.send(
      { ...promotional, unsubscribeUrl: 'http://127.0.0.1:8787/u/tok' },
      credentials,
      contextWith(fake),
    );
    expect(JSON.parse(fake.requests[0]!.body).headers).toEqual({ 'List-Unsubscribe': '<http://127.0.0.1:8787/u/tok>' });
    fake.assertDone();
  });

  it.each([
    [
      'a key still in flight',
      json({ name: 'concurrent_idempotent_requests', message: 'in progress' }, 409),
      { kind: 'transient', options: { status: 409, code: 'concurrent_idempotent_requests' } },
    ],
    [
      'a key reused with another body',
      json({ name: 'invalid_idempotent_request', message: 'reused' }, 409),
      { kind: 'permanent', options: { status: 409 } },
    ],
    [
      'a validation error',
      json({ name: 'validation_error', message: 'bad from' }, 422),
      { kind: 'permanent', options: { status: 422 } },
    ],
    [
      'an invalid API key',
      json({ name: 'invalid_api_key', message: 'API key is invalid' }, 403),
      { kind: 'permanent', options: { status: 403 } },
    ],
    [
      'the rate limit',
      json({ name: 'rate_limit_exceeded' }, 429, { 'retry-after': '2' }),
      { kind: 'transient', options: { status: 429, retryAfterMs: 2000 } },
    ],
    ['a server error', json({ name: 'internal_server_error' }, 500), { kind: 'transient', options: { status: 500 } }],
    ['a 200 without an id', json({}), { kind: 'transient', options: { status: 200 } }],
    ['a network error', new TypeError('fetch failed'), { kind: 'transient' }],
  ])('classifies %s', async (_, reply, expected) => {
    const fake = fakeFetch(reply);
    await expect(resend.send(promotional, credentials, contextWith(fake))).rejects.toMatchObject(expected);
    fake.assertDone();
  });

  it('refuses a recipient that is not an email address before any request', async () => {
    const fake = fakeFetch();
    await expect(
      resend.send(outbound({ recipient: '+8613800138000' }), credentials, contextWith(fake)),
    ).rejects.toMatchObject({ kind: 'permanent' });
    fake.assertDone();
  });

  it('looks an email up by its Resend id', async () => {
    const fake = fakeFetch(json({ object: 'email', id: 'em_9', last_event: 'delivered' }));
    const found = await resend.lookup({ ...promotional, providerMessageId: 'em_9' }, credentials, contextWith(fake));
    expect(found).toEqual({ status: 'delivered', providerMessageId: 'em_9' });
    expect(fake.requests).toEqual([
      {
        method: 'GET',
        url: 'https://api.resend.com/emails/em_9',
        headers: { authorization: 'Bearer re_test_123456789' },
        body: '',
        redirect: 'follow',
      },
    ]);
    fake.assertDone();
  });

  it('cannot look up a message whose Resend id was never recorded', async () => {
    const fake = fakeFetch();
    await expect(
      resend.lookup({ ...promotional, providerMessageId: null }, credentials, contextWith(fake)),
    ).resolves.toEqual({ status: 'unknown' });
    fake.assertDone();
  });

  it('validates credentials', () => {
    const parse = (input: object) => resend.credentials.safeParse({ ...credentials, ...input }).success;
    expect(parse({})).toBe(true);
    expect(parse({ from: 'orders@tea.example' })).toBe(true);
    expect(parse({ apiKey: 'sk_live_123' })).toBe(false);
    expect(parse({ from: 'not an address' })).toBe(false);
    expect(parse({ from: 'Evil\r\nBcc: x@y.example <orders@tea.example>' })).toBe(false);
  });
});
