/**
 * The DingTalk robot adapter's exact request, its 加签 signature checked
 * against a value computed outside this codebase with DingTalk's documented
 * Python sample, and its errcode classes.
 */
import { describe, expect, it } from 'vitest';
import { dingtalk, dingtalkSign } from './dingtalk';
import { contextWith, fakeFetch, json, outbound } from './lib/testing';

const accessToken = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const markdown = '#### 差评提醒\n> 订单 A1001 收到 1 星评价';
const alert = outbound({ kind: 'negative_review_alert', channel: 'chat', recipient: 'staff', rendered: { markdown } });
const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: '差评提醒', text: markdown } });

/** hmac.new(secret, f"{1772352000000}\n{secret}", sha256) -> base64 -> urllib.parse.quote_plus. */
const EXPECTED_SIGN = 'qn6ltBnL%2FMMXyCEwUhUlRKjlfxvso8JkJR1TXuiNg9U%3D';

describe('dingtalk adapter', () => {
  it('POSTs a markdown message titled by its first line', async () => {
    const fake = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    const result = await dingtalk.send(alert, { accessToken }, contextWith(fake));
    expect(result).toEqual({ providerMessageId: 'msg_01TEST', status: 'delivered' });
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        url: `https://oapi.dingtalk.com/robot/send?access_token=${accessToken}`,
        headers: { 'content-type': 'application/json' },
        body,
        redirect: 'follow',
      },
    ]);
    fake.assertDone();
  });

  it('signs the URL with timestamp and sign when a secret is set', async () => {
    const fake = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    await dingtalk.send(alert, { accessToken, secret }, contextWith(fake));
    expect(fake.requests.map((r) => r.url)).toEqual([
      `https://oapi.dingtalk.com/robot/send?access_token=${accessToken}&timestamp=1772352000000&sign=${EXPECTED_SIGN}`,
    ]);
    expect(fake.requests[0]!.body).toBe(body);
    fake.assertDone();
  });

  it('computes the documented signature', async () => {
    await expect(dingtalkSign(secret, 1772352000000)).resolves.toBe(EXPECTED_SIGN);
  });

  it('falls back to the message kind when the markdown has no title line', async () => {
    const fake = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    await dingtalk.send({ ...alert, rendered: { markdown: '\n#\n' } }, { accessToken }, contextWith(fake));
    expect(JSON.parse(fake.requests[0]!.body).markdown.title).toBe('negative_review_alert');
    fake.assertDone();
  });

  it.each([
    [
      '130101 (send too fast)',
      json({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }),
      { kind: 'transient', options: { code: '130101', retryAfterMs: 600_000 } },
    ],
    [
      '310000 (keywords or sign)',
      json({ errcode: 310000, errmsg: 'sign not match' }),
      { kind: 'permanent', options: { code: '310000' } },
    ],
    [
      '300001 (no such token)',
      json({ errcode: 300001, errmsg: 'token is not exist' }),
      { kind: 'permanent', options: { code: '300001' } },
    ],
    ['HTTP 500', new Response('', { status: 500 }), { kind: 'transient', options: { status: 500 } }],
    ['a network error', new TypeError('fetch failed'), { kind: 'transient' }],
  ])('classifies %s', async (_, reply, expected) => {
    const fake = fakeFetch(reply);
    await expect(dingtalk.send(alert, { accessToken, secret }, contextWith(fake))).rejects.toMatchObject(expected);
    fake.assertDone();
  });

  it('validates credentials', () => {
    const parse = (input: object) => dingtalk.credentials.safeParse(input).success;
    expect(parse({ accessToken })).toBe(true);
    expect(parse({ accessToken, secret })).toBe(true);
    expect(parse({ accessToken: `${accessToken}&x=1` })).toBe(false);
    expect(parse({ accessToken, secret: 'not-a-secret' })).toBe(false);
  });
});
