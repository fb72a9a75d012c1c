/**
 * Aliyun RPC-style API calls (signature version 1.0, HMAC-SHA1), as documented in
 * "签名机制" (https://help.aliyun.com/document_detail/28839.html) and the SMS
 * signature example (https://help.aliyun.com/document_detail/101343.htm):
 * sort all parameters, percent-encode names and values (RFC 3986: only A-Z a-z 0-9
 * - _ . ~ stay literal, space is %20), StringToSign = METHOD & %2F & encode(query),
 * Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 */
import { httpError, ProviderError, type SendContext } from '../types';
import { hmacBase64 } from './hmac';

/** Aliyun's percentEncode: encodeURIComponent also escapes ! ' ( ) *, which RFC 3986 reserves. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonicalized query string: parameters sorted by name, each name and value encoded. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name]!)}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string) {
  return hmacBase64('SHA-1', `${accessKeySecret}&`, stringToSign(method, params));
}

/** The signed GET query, Signature first and the rest in canonical order, as in the documented example URL. */
export async function signedQuery(params: Record<string, string>, accessKeySecret: string): Promise<string> {
  const signature = await rpcSignature('GET', params, accessKeySecret);
  return `Signature=${percentEncode(signature)}&${canonicalQuery(params)}`;
}

export type RpcCredentials = { accessKeyId: string; accessKeySecret: string; endpoint: string; regionId: string };

/**
 * Codes worth retrying: throttling (including SMS's per-number isv.BUSINESS_LIMIT_CONTROL)
 * and platform faults (isp.*, SystemError, ServiceUnavailable, InternalError).
 * Everything else is permanent for this provider: bad recipient (isv.MOBILE_NUMBER_ILLEGAL),
 * template or signature problems (isv.TEMPLATE_MISSING_PARAMETERS, isv.SMS_TEMPLATE_ILLEGAL,
 * isv.SMS_SIGNATURE_ILLEGAL), account state (isv.AMOUNT_NOT_ENOUGH, isv.OUT_OF_SERVICE,
 * isv.DAY_LIMIT_CONTROL, isp.RAM_PERMISSION_DENY) and credentials (InvalidAccessKeyId.NotFound,
 * SignatureDoesNotMatch): retrying within the backoff window cannot fix them, falling back can.
 */
export function aliyunErrorKind(code: string, httpStatus: number): 'transient' | 'permanent' {
  if (httpStatus === 429 || httpStatus >= 500) return 'transient';
  if (code === 'isv.BUSINESS_LIMIT_CONTROL' || code.startsWith('Throttling')) return 'transient';
  if (code.startsWith('isp.')) return code === 'isp.RAM_PERMISSION_DENY' ? 'permanent' : 'transient';
  return ['SystemError', 'ServiceUnavailable', 'InternalError'].includes(code) ? 'transient' : 'permanent';
}

/**
 * Calls one RPC action with GET (the documented form) and returns the JSON body when
 * its Code is "OK"; otherwise throws a classified ProviderError. Network errors and
 * timeouts propagate unchanged: whether Aliyun accepted the call is unknown then.
 */
export async function aliyunRpc(
  creds: RpcCredentials,
  ctx: SendContext,
  version: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const timestamp = ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const all: Record<string, string> = {
    AccessKeyId: creds.accessKeyId,
    Format: 'JSON',
    RegionId: creds.regionId,
    SignatureMethod: 'HMAC-SHA1',
    // Documented as "a unique random number ... we recommend a UUID"; tests pin it by stubbing crypto.randomUUID.
    SignatureNonce: crypto.randomUUID(),
    SignatureVersion: '1.0',
    Timestamp: timestamp,
    Version: version,
    ...params,
  };
  const url = `${creds.endpoint.replace(/\/+$/, '')}/?${await signedQuery(all, creds.accessKeySecret)}`;
  const res = await ctx.fetch(url, { method: 'GET' });
  const raw = await res.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (body && body.Code === 'OK' && res.ok) return body;
  const base = httpError('aliyun_sms', res, raw);
  if (!body || typeof body.Code !== 'string') {
    if (!res.ok) throw base;
    throw new ProviderError('transient', `aliyun_sms ${params.Action} answered without a Code`, {
      status: res.status,
      raw,
    });
  }
  const reason = `aliyun_sms ${params.Action} failed: ${body.Code} ${String(body.Message ?? '')}`.trim();
  throw new ProviderError(aliyunErrorKind(body.Code, res.status), reason, { ...base.options, code: body.Code });
}
