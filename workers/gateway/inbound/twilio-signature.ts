/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/security#validating-requests):
 *   base64(HMAC-SHA1(authToken, url + concat(sorted POST params as key + value)))
 * compared with the X-Twilio-Signature header.
 *
 * The URL is the one Twilio called, byte for byte: scheme, host, port, path and
 * query. The gateway uses the request URL as the worker receives it, which on
 * Cloudflare is the public URL. A proxy in front of the gateway must forward
 * the original Host, scheme, path and query unchanged, or every signature fails.
 *
 * Repeated parameters are appended key+value for each value, values sorted, as
 * Twilio's helper libraries do. Keys are sorted by code unit (Twilio's keys are ASCII).
 */
import { constantTimeEqual } from '../../../shared/crypto/digest';
import { toBase64, utf8 } from '../../../shared/crypto/encoding';

export type FormParams = Iterable<[string, string]>;

/** The string Twilio signs: the URL followed by every key and value, sorted by key. */
export function signedPayload(url: string, params: FormParams): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of params) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  let data = url;
  for (const key of [...byKey.keys()].sort()) {
    for (const value of byKey.get(key)!.sort()) data += key + value;
  }
  return data;
}

export async function twilioSignature(authToken: string, url: string, params: FormParams): Promise<string> {
  const key = await crypto.subtle.importKey('raw', utf8(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, utf8(signedPayload(url, params)));
  return toBase64(new Uint8Array(mac));
}

/** Whether `header` is Twilio's signature of this request; constant-time in the comparison. */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: FormParams,
  header: string | undefined,
): Promise<boolean> {
  if (!header) return false;
  return constantTimeEqual(await twilioSignature(authToken, url, params), header.trim());
}

/** The form parameters of a raw `application/x-www-form-urlencoded` body, repeats kept. */
export function formParams(body: string): [string, string][] {
  return [...new URLSearchParams(body).entries()];
}
