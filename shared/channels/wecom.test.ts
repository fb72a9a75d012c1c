/** The WeCom group robot adapter's exact request and its errcode classes. */
import { describe, expect, it } from 'vitest';
import { contextWith, fakeFetch, json, outbound } from './lib/testing';
import { wecom } from './wecom';

const credentials = { key: '693a91f6-7d0c-4bc4-97a0-0ec2a1fa5aaa' };
const markdown = '### 差评提醒\n> 订单 <font color="warning">A1001</font> 收到 1 星评价';
const alert = outbound({ kind: 'negative_review_alert', channel: 'chat', recipient: 'staff', rendered: { markdown } });

describe('wecom adapter', () => {
  it('POSTs a markdown message to the robot webhook and uses our id', async () => {
    const fake = fakeFetch(json({ errcode: 0, errmsg: 'ok' }));
    const result = await wecom.send(alert, credentials, contextWith(fake));
    expect(result).toEqual({ providerMessageId: 'msg_01TEST', status: 'delivered' });
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7d0c-4bc4-97a0-0ec2a1fa5aaa',
        headers: { 'content-type': 'application/json' },
        body: `{"msgtype":"markdown","markdown":{"content":${JSON.stringify(markdown)}}}`,
        redirect: 'follow',
      },
    ]);
    fake.assertDone();
  });

  it.each([
    [
      '45009 (rate limit)',
      json({ errcode: 45009, errmsg: 'api freq out of limit' }),
      { kind: 'transient', options: { code: '45009', retryAfterMs: 60_000 } },
    ],
    ['-1 (system busy)', json({ errcode: -1, errmsg: 'system busy' }), { kind: 'transient', options: { code: '-1' } }],
    [
      '93000 (invalid webhook)',
      json({ errcode: 93000, errmsg: 'invalid webhook url' }),
      { kind: 'permanent', options: { code: '93000' } },
    ],
    [
      '40008 (bad msgtype)',
      json({ errcode: 40008, errmsg: 'invalid message type' }),
      { kind: 'permanent', options: { code: '40008' } },
    ],
    ['HTTP 502', new Response('bad gateway', { status: 502 }), { kind: 'transient', options: { status: 502 } }],
    ['a 200 that is not JSON', new Response('<html>', { status: 200 }), { kind: 'transient' }],
    ['a network error', new TypeError('fetch failed'), { kind: 'transient' }],
  ])('classifies %s', async (_, reply, expected) => {
    const fake = fakeFetch(reply);
    await expect(wecom.send(alert, credentials, contextWith(fake))).rejects.toMatchObject(expected);
    fake.assertDone();
  });

  it('refuses markdown over 4096 bytes before any request', async () => {
    const fake = fakeFetch();
    const long = outbound({ channel: 'chat', rendered: { markdown: '评'.repeat(1366) } });
    await expect(wecom.send(long, credentials, contextWith(fake))).rejects.toMatchObject({ kind: 'permanent' });
    fake.assertDone();
  });

  it('takes the robot key, not a URL', () => {
    expect(wecom.credentials.safeParse(credentials).success).toBe(true);
    expect(
      wecom.credentials.safeParse({ key: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${credentials.key}` })
        .success,
    ).toBe(false);
    expect(wecom.credentials.safeParse({ key: 'abc&key=other' }).success).toBe(false);
  });
});
