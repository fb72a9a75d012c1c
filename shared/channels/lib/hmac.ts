/**
 * HMAC with Web Crypto, base64-encoded, as provider signatures need it: Aliyun's
 * RPC signature (HMAC-SHA1) and Twilio's X-Twilio-Signature (HMAC-SHA1) both
 * sign a UTF-8 string with a string key. Workers have no node:crypto.
 */
import { toBase64, utf8 } from '../../crypto/encoding';

export async function hmacBase64(hash: 'SHA-1' | 'SHA-256', key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', utf8(key), { name: 'HMAC', hash }, false, ['sign']);
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8(message))));
}
