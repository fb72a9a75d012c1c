/**
 * DingTalk (钉钉) custom group robot for staff alerts: a markdown message
 * POSTed to https://oapi.dingtalk.com/robot/send?access_token=<token>
 * (https://open.dingtalk.com/document/orgapp/custom-robot-access). With the
 * "加签" security setting the URL also carries `timestamp` (milliseconds) and
 * `sign` = urlencode(base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret))).
 * The robot returns no message id, so the provider message id is ours.
 */
import { z } from 'zod';
import { partsFor } from './lib/content';
import { hmacBase64 } from './lib/hmac';
import { call, checkRobotAnswer } from './lib/http';
import type { Adapter, OutboundMessage } from './types';

export const DINGTALK_SEND_URL = 'https://oapi.dingtalk.com/robot/send';

/**
 * Worth retrying: -1 system busy, and 130101 "send too fast": a robot may send
 * 20 messages a minute and is then throttled for 10 minutes. Everything else,
 * such as 310000 (keyword, signature or IP check failed) or 300001 (no such
 * token), is permanent.
 */
const retryable = new Map<number, number | undefined>([
  [-1, undefined],
  [130101, 10 * 60_000],
]);

export const dingtalkCredentials = z.object({
  accessToken: z.string().regex(/^[A-Za-z0-9]{16,128}$/, 'must be the access_token of the robot webhook URL'),
  /** Present when the robot's security setting is 加签 (signing): the "SEC..." string DingTalk shows. */
  secret: z
    .string()
    .regex(/^SEC[A-Za-z0-9]+$/, 'must be the "SEC..." signing secret')
    .optional(),
});
export type DingtalkCredentials = z.infer<typeof dingtalkCredentials>;

/** The url-encoded `sign` query value for `timestampMs`, as the 加签 setting requires. */
export async function dingtalkSign(secret: string, timestampMs: number): Promise<string> {
  return encodeURIComponent(await hmacBase64('SHA-256', secret, `${timestampMs}\n${secret}`));
}

/** The notification title: the markdown's first line without heading marks, else the message kind. */
export function dingtalkTitle(message: OutboundMessage, markdown: string): string {
  const firstLine = markdown.split('\n').find((line) => line.trim() !== '') ?? '';
  const title = firstLine.replace(/^\s*#{1,6}\s*/, '').trim();
  return (title || message.kind).slice(0, 64);
}

export const dingtalk = {
  provider: 'dingtalk',
  channel: 'chat',
  credentials: dingtalkCredentials,
  async send(message, credentials, ctx) {
    const { markdown } = partsFor('dingtalk', message, 'chat');
    let url = `${DINGTALK_SEND_URL}?access_token=${encodeURIComponent(credentials.accessToken)}`;
    if (credentials.secret) {
      const timestamp = ctx.now().getTime();
      url += `&timestamp=${timestamp}&sign=${await dingtalkSign(credentials.secret, timestamp)}`;
    }
    const answer = await call('dingtalk', ctx, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: dingtalkTitle(message, markdown), text: markdown },
      }),
    });
    checkRobotAnswer('dingtalk', answer, retryable);
    return { providerMessageId: message.id, status: 'delivered' };
  },
} satisfies Adapter<'dingtalk', DingtalkCredentials>;
