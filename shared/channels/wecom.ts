/**
 * WeCom (企业微信) group robot for staff alerts: a markdown message POSTed to
 * https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>
 * (https://work.weixin.qq.com/api/doc/90000/90136/91770). The robot
 * answers `{"errcode":0,"errmsg":"ok"}` and returns no message id, so the
 * provider message id is orderbell's own message id.
 */
import { z } from 'zod';
import { partsFor } from './lib/content';
import { byteLength, call, checkRobotAnswer } from './lib/http';
import { ProviderError, type Adapter } from './types';

export const WECOM_SEND_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';

/** WeCom caps markdown content at 4096 UTF-8 bytes. */
const MAX_MARKDOWN_BYTES = 4096;

/**
 * Global error codes (https://developer.work.weixin.qq.com/document/path/90455)
 * worth retrying: -1 system busy; 45009 over the rate limit (a robot may send
 * 20 messages a minute, so wait a minute); 45033 too many concurrent calls.
 * Everything else, such as 93000 (invalid webhook URL or robot removed from
 * the group), 93004 (robot disabled) or 40008 (bad msgtype), is permanent.
 */
const retryable = new Map<number, number | undefined>([
  [-1, undefined],
  [45009, 60_000],
  [45033, undefined],
]);

export const wecomCredentials = z.object({
  // Only the key is stored, never a URL, so a shop cannot point the adapter at another host.
  key: z.guid('must be the key of the robot webhook URL (…/webhook/send?key=<this>)'),
});
export type WecomCredentials = z.infer<typeof wecomCredentials>;

export const wecom = {
  provider: 'wecom',
  channel: 'chat',
  credentials: wecomCredentials,
  async send(message, credentials, ctx) {
    const { markdown } = partsFor('wecom', message, 'chat');
    if (byteLength(markdown) > MAX_MARKDOWN_BYTES) {
      throw new ProviderError('permanent', `wecom markdown is over ${MAX_MARKDOWN_BYTES} bytes`);
    }
    const answer = await call('wecom', ctx, `${WECOM_SEND_URL}?key=${encodeURIComponent(credentials.key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } }),
    });
    checkRobotAnswer('wecom', answer, retryable);
    return { providerMessageId: message.id, status: 'delivered' };
  },
} satisfies Adapter<'wecom', WecomCredentials>;
