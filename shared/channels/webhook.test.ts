/**
 * The webhook adapter's exact request, its Standard Webhooks signature checked
 * both with our verifier and with an independent HMAC, and its error classes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sign } from '../../test/helpers/gateway';
import { verifySignature } from '../webhooks/standard-webhooks';
import { contextWith, fakeFetch, NOW, outbound } from './lib/testing';
import { ProviderError } from './types';
import { webhook } from './webhook';

const credentials = { url: 'https://shop.example/hooks/orderbell', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
const payload = '{"type":"order.shipped","order_id":"A1001","tracking_number":"SF1234567890"}';
const message = outbound({ channel: 'webhook', recipient: credentials.url, rendered: { payload } });

afterEach(() => vi.useRealTimers());

describe('webhook adapter', () => {
  it('POSTs the payload with Standard Webhooks headers keyed by the message id', async () => {
    const fake = fakeFetch(new Response(null, { status: 204 }));
    const result = await webhook.send(message, credentials, contextWith(fake));
    expect(result).toEqual({ providerMessageId: 'msg_01TEST', status: 'delivered' });

    const expectedSignature = await sign(credentials.secret, 'msg_01TEST', 1772352000, payload);
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        url: 'https://shop.example/hooks/orderbell',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_01TEST',
          'webhook-timestamp': '1772352000',
          'webhook-signature': expectedSignature,
        },
        body: payload,
        redirect: 'manual',
      },
    ]);
    fake.assertDone();

    const headers = fake.requests[0]!.headers;
    vi.setSystemTime(NOW);
    expect(() =>
      verifySignature(
        payload,
        {
          'webhook-id': headers['webhook-id'],
          'webhook-timestamp': headers['webhook-timestamp'],
          'webhook-signature': headers['webhook-signature'],
        },
        [credentials.secret],
      ),
    ).not.toThrow();
  });

  it.each([
    ['410 Gone', new Response('gone', { status: 410 }), { kind: 'permanent', options: { status: 410 } }],
    ['another 4xx', new Response('nope', { status: 404 }), { kind: 'permanent', options: { status: 404 } }],
    [
      'a redirect',
      new Response(null, { status: 302, headers: { location: 'https://elsewhere.example' } }),
      { kind: 'permanent', options: { status: 302 } },
    ],
    [
      '429 with Retry-After',
      new Response('slow down', { status: 429, headers: { 'retry-after': '30' } }),
      { kind: 'transient', options: { status: 429, retryAfterMs: 30_000 } },
    ],
    ['a 5xx', new Response('oops', { status: 503 }), { kind: 'transient', options: { status: 503, raw: 'oops' } }],
    ['a network error', new TypeError('Network connection lost.'), { kind: 'transient' }],
  ])('classifies %s', async (_, reply, expected) => {
    const fake = fakeFetch(reply);
    const sent = webhook.send(message, credentials, contextWith(fake));
    await expect(sent).rejects.toBeInstanceOf(ProviderError);
    await expect(sent).rejects.toMatchObject(expected);
    fake.assertDone();
  });

  it('refuses a message without a rendered payload before any request', async () => {
    const fake = fakeFetch();
    const sent = webhook.send(outbound(), credentials, contextWith(fake));
    await expect(sent).rejects.toMatchObject({ kind: 'permanent' });
    fake.assertDone();
  });

  it('accepts https URLs, http only for loopback, and whsec_ secrets', () => {
    const parse = (input: object) => webhook.credentials.safeParse({ ...credentials, ...input }).success;
    expect(parse({})).toBe(true);
    expect(parse({ url: 'http://127.0.0.1:8787/hook' })).toBe(true);
    expect(parse({ url: 'http://localhost:3000/hook' })).toBe(true);
    expect(parse({ url: 'http://shop.example/hook' })).toBe(false);
    expect(parse({ url: 'ftp://shop.example/hook' })).toBe(false);
    expect(parse({ secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).toBe(false);
    expect(parse({ secret: 'whsec_c2hvcnQ=' })).toBe(false);
  });
});
