/**
 * The Cloudflare Email adapter: the exact raw MIME handed to the send_email
 * binding (expected bytes computed outside this codebase), RFC 8058 headers
 * only on non-transactional mail, and the binding's error classes.
 */
import { EmailMessage } from 'cloudflare:email';
import { describe, expect, it } from 'vitest';
import { cloudflareEmail, createCloudflareEmail } from './cloudflare-email';
import { contextWith, fakeFetch, outbound } from './lib/testing';

/** Keeps what the real EmailMessage hides, so the test can read the raw MIME back. */
class RecordingEmailMessage {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly raw: string,
  ) {}
}

function fakeBinding(outcome: { messageId?: string } | Error = { messageId: 'cf_0001' }) {
  const sent: unknown[] = [];
  const binding = {
    async send(message: unknown) {
      sent.push(message);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return { sent, binding: binding as unknown as SendEmail };
}

const adapter = createCloudflareEmail(RecordingEmailMessage as unknown as typeof EmailMessage);
const credentials = { from: '茶叶小铺 <orders@tea.example>' };
const promotional = outbound({
  kind: 'review_request',
  transactional: false,
  rendered: {
    subject: '您的订单已发货',
    text: '王小明，您好！\n订单 A1001 已发货。',
    html: '<p>王小明，您好！订单 <b>A1001</b> 已发货。</p>',
  },
  unsubscribeUrl: 'https://bell.example/u/tok_abc?c=email',
});

const mime = (extraHeaders: string[]) =>
  [
    'From: =?UTF-8?B?6Iy25Y+25bCP6ZO6?= <orders@tea.example>',
    'To: buyer@example.com',
    'Subject: =?UTF-8?B?5oKo55qE6K6i5Y2V5bey5Y+R6LSn?=',
    'Date: Sun, 01 Mar 2026 08:00:00 +0000',
    'Message-ID: <msg_01TEST@tea.example>',
    'MIME-Version: 1.0',
    ...extraHeaders,
    'Content-Type: multipart/alternative; boundary="ob-msg_01TEST"',
    '',
    '--ob-msg_01TEST',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    '546L5bCP5piO77yM5oKo5aW977yBCuiuouWNlSBBMTAwMSDlt7Llj5HotKfjgII=',
    '--ob-msg_01TEST',
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    'PHA+546L5bCP5piO77yM5oKo5aW977yB6K6i5Y2VIDxiPkExMDAxPC9iPiDlt7Llj5HotKfjgII8',
    'L3A+',
    '--ob-msg_01TEST--',
    '',
  ].join('\r\n');

describe('cloudflare_email adapter', () => {
  it('hands the binding a raw MIME message with one-click unsubscribe headers', async () => {
    const fake = fakeFetch();
    const { sent, binding } = fakeBinding();
    const result = await adapter.send(promotional, credentials, contextWith(fake, { SEND_EMAIL: binding }));
    expect(result).toEqual({ providerMessageId: 'cf_0001', status: 'sent' });
    expect(sent).toEqual([
      new RecordingEmailMessage(
        'orders@tea.example',
        'buyer@example.com',
        mime([
          'List-Unsubscribe: <https://bell.example/u/tok_abc?c=email>',
          'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        ]),
      ),
    ]);
    fake.assertDone();
  });

  it('leaves unsubscribe headers out of transactional mail', async () => {
    const { sent, binding } = fakeBinding();
    await adapter.send(
      { ...promotional, kind: 'shipped', transactional: true },
      credentials,
      contextWith(fakeFetch(), { SEND_EMAIL: binding }),
    );
    expect((sent[0] as RecordingEmailMessage).raw).toBe(mime([]));
  });

  it('falls back to our message id when the binding returns no id', async () => {
    const { binding } = fakeBinding({});
    const result = await adapter.send(promotional, credentials, contextWith(fakeFetch(), { SEND_EMAIL: binding }));
    expect(result).toEqual({ providerMessageId: 'msg_01TEST', status: 'sent' });
  });

  it('fails permanently, with a clear message, when the worker has no send_email binding', async () => {
    await expect(adapter.send(promotional, credentials, contextWith(fakeFetch()))).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('send_email binding SEND_EMAIL'),
    });
  });

  it.each([
    ['E_RATE_LIMIT_EXCEEDED', 'transient'],
    ['E_INTERNAL_SERVER_ERROR', 'transient'],
    ['E_SENDER_NOT_VERIFIED', 'permanent'],
    ['E_RECIPIENT_SUPPRESSED', 'permanent'],
    [undefined, 'transient'],
  ])('classifies a binding error with code %s as %s', async (code, kind) => {
    const error = Object.assign(new Error('send failed'), code ? { code } : {});
    const { binding } = fakeBinding(error);
    await expect(
      adapter.send(promotional, credentials, contextWith(fakeFetch(), { SEND_EMAIL: binding })),
    ).rejects.toMatchObject({
      kind,
      options: { code },
    });
  });

  it('builds a real EmailMessage from "cloudflare:email" by default', async () => {
    const { sent, binding } = fakeBinding();
    await cloudflareEmail.send(promotional, credentials, contextWith(fakeFetch(), { SEND_EMAIL: binding }));
    expect(sent[0]).toMatchObject({ from: 'orders@tea.example', to: 'buyer@example.com' });
  });
});
