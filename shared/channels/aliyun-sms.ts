/**
 * Aliyun SMS (dysmsapi 2017-05-25): SendSms with the documented RPC signature, and
 * QuerySendDetails so the lease reaper can find an outcome instead of resending.
 * Aliyun only sends pre-approved templates, so the rendered text is not sent: each
 * kind maps to an approved TemplateCode, and its TemplateParam values are read from
 * the message's template data. OutId carries orderbell's message id.
 * Docs: SendSms https://help.aliyun.com/document_detail/55284.html, QuerySendDetails
 * https://help.aliyun.com/document_detail/419277.html, error codes
 * https://help.aliyun.com/document_detail/101346.html.
 */
import { ownPath, ownValue } from '../lang/own';
import { z } from 'zod';
import { messageKindNames } from '../templates/kinds';
import { ProviderError, type Adapter, type LookupResult, type OutboundMessage, type SendContext } from './types';
import { aliyunRpc } from './lib/aliyun-rpc';

const VERSION = '2017-05-25';

const templateConfig = z.object({
  /** The approved template's code, e.g. SMS_15305xxxx. */
  templateCode: z.string().trim().min(1),
  /** TemplateParam name -> path into message.data, e.g. { name: 'buyer.name', order: 'order.number' }. */
  params: z.record(z.string().min(1), z.string().regex(/^[A-Za-z_]\w*(\.\w+|\[\d+\])*$/)).default({}),
});

export const aliyunCredentials = z.object({
  accessKeyId: z.string().trim().min(1),
  accessKeySecret: z.string().min(1),
  /** The approved signature name; Aliyun adds the 【】 itself, so they are stripped if given. */
  signName: z
    .string()
    .trim()
    .min(1)
    .transform((name) => name.replace(/^【(.+)】$/, '$1')),
  endpoint: z.url({ protocol: /^https$/ }).default('https://dysmsapi.aliyuncs.com'),
  regionId: z.string().trim().min(1).default('cn-hangzhou'),
  templates: z.partialRecord(z.enum(messageKindNames), templateConfig).default({}),
});
export type AliyunCredentials = z.output<typeof aliyunCredentials>;

/**
 * E.164 to Aliyun's number format: mainland numbers as the bare 11 digits (the only
 * form QuerySendDetails accepts), others as country code + number without "+".
 */
export function aliyunPhone(e164: string): string {
  const digits = /^\+([1-9]\d{6,14})$/.exec(e164)?.[1];
  if (!digits)
    throw new ProviderError('permanent', 'aliyun_sms needs an E.164 phone number', { code: 'invalid_recipient' });
  return digits.startsWith('86') ? digits.slice(2) : digits;
}

/** Reads `buyer.name` or `items[0].title` from the template data; undefined when absent. */
function readPath(data: unknown, path: string): unknown {
  return ownPath(data, path.replace(/\[(\d+)\]/g, '.$1').split('.'));
}

export function templateParam(params: Record<string, string>, data: Record<string, unknown>): string | undefined {
  const entries = Object.entries(params).map(([name, path]) => {
    const value = readPath(data, path);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new ProviderError('permanent', `aliyun_sms TemplateParam "${name}": no value at "${path}"`, {
        code: 'template_param_missing',
      });
    }
    return [name, String(value)];
  });
  return entries.length ? JSON.stringify(Object.fromEntries(entries)) : undefined;
}

/** yyyyMMdd in China Standard Time (UTC+8, no DST), `daysBack` days before now. */
function sendDate(now: Date, daysBack: number): string {
  return new Date(now.getTime() + 8 * 3_600_000 - daysBack * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}

type Detail = { SendStatus?: number | string; OutId?: string };
const statuses: Record<string, 'sent' | 'failed' | 'delivered'> = { '1': 'sent', '2': 'failed', '3': 'delivered' };
/** QuerySendDetails' largest page; 5 pages exceed Aliyun's daily per-number limits many times over. */
const PAGE = 50;
const MAX_PAGES = 5;

/** One day's records for the phone: the BizId's record when known, else the one whose OutId is our id. */
async function findOnDay(
  message: OutboundMessage & { providerMessageId?: string | null },
  creds: AliyunCredentials,
  ctx: SendContext,
  date: string,
) {
  const bizId = message.providerMessageId || undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const body = await aliyunRpc(creds, ctx, VERSION, {
      Action: 'QuerySendDetails',
      PhoneNumber: aliyunPhone(message.recipient),
      SendDate: date,
      PageSize: String(bizId ? 10 : PAGE),
      CurrentPage: String(page),
      ...(bizId ? { BizId: bizId } : {}),
    });
    const list = (body.SmsSendDetailDTOs as { SmsSendDetailDTO?: Detail | Detail[] } | undefined)?.SmsSendDetailDTO;
    const details = ([] as Detail[]).concat(list ?? []);
    const hit = bizId ? details[0] : details.find((d) => d.OutId === message.id);
    const status = hit && ownValue(statuses, String(hit.SendStatus));
    // Records carry no BizId, so a match by OutId cannot return one; the SmsReport receipt (biz_id + out_id) fills it in.
    if (status) return { status, providerMessageId: bizId ?? '' } satisfies LookupResult;
    if (bizId || page * PAGE >= Number(body.TotalCount ?? 0)) return undefined;
  }
  return undefined;
}

export const aliyunSms = {
  provider: 'aliyun_sms',
  channel: 'sms',
  credentials: aliyunCredentials,
  async send(message, creds, ctx) {
    const template = creds.templates[message.kind];
    if (!template) {
      const reason = `aliyun_sms has no approved TemplateCode configured for kind "${message.kind}"`;
      throw new ProviderError('permanent', reason, { code: 'template_not_configured' });
    }
    const param = templateParam(template.params, message.data);
    const body = await aliyunRpc(creds, ctx, VERSION, {
      Action: 'SendSms',
      PhoneNumbers: aliyunPhone(message.recipient),
      SignName: creds.signName,
      TemplateCode: template.templateCode,
      ...(param ? { TemplateParam: param } : {}),
      OutId: message.id,
    });
    return { providerMessageId: String(body.BizId ?? ''), status: 'sent' };
  },
  async lookup(message, creds, ctx) {
    // Today and yesterday in China time: a send just before midnight is filed under the previous day.
    for (const daysBack of [0, 1]) {
      const found = await findOnDay(message, creds, ctx, sendDate(ctx.now(), daysBack));
      if (found) return found;
    }
    return { status: 'unknown' };
  },
} satisfies Adapter<'aliyun_sms', AliyunCredentials>;
