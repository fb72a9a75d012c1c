/**
 * Standard Webhooks signing and verification (https://www.standardwebhooks.com),
 * used for shops' inbound order webhooks and for our outbound signed webhooks.
 * The HMAC and its constant-time comparison come from the `standardwebhooks` library;
 * this module adds the error codes of orderbell's contract and secret rotation.
 */
import { Webhook } from 'standardwebhooks';
import { ApiError } from '../http/errors';
import { randomBytes } from '../crypto/random';
import { fromBase64, toBase64, utf8 } from '../crypto/encoding';

export const TOLERANCE_SECONDS = 5 * 60;
/** The longest `webhook-id` accepted, in UTF-8 bytes: ids are stored and echoed, so they are bounded. */
export const MAX_WEBHOOK_ID_BYTES = 256;

export type SignatureHeaders = {
  'webhook-id': string | undefined;
  'webhook-timestamp': string | undefined;
  'webhook-signature': string | undefined;
};

/** A fresh `whsec_` secret: 24 random bytes, base64. */
export function newWebhookSecret(): string {
  return `whsec_${toBase64(randomBytes(24))}`;
}

/**
 * Checks that `raw` was signed with one of `secrets` (current first, then any
 * previous secret still in its grace period). Throws ApiError with
 * `signature_missing`, `timestamp_out_of_tolerance` or `signature_invalid`.
 */
export function verifySignature(raw: string, headers: SignatureHeaders, secrets: string[]): void {
  const { id, timestamp, signature } = checkHeaders(headers);
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(
        raw,
        { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
        { jsonParse: false },
      );
      return;
    } catch {
      // Try the next secret: during rotation the previous one is still accepted.
    }
  }
  throw new ApiError('signature_invalid', 'No webhook-signature matches the shop secret');
}

function checkHeaders(headers: SignatureHeaders) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) {
    throw new ApiError('signature_missing', 'webhook-id, webhook-timestamp and webhook-signature headers are required');
  }
  if (utf8(id).length > MAX_WEBHOOK_ID_BYTES) {
    throw new ApiError('validation_failed', `webhook-id is longer than ${MAX_WEBHOOK_ID_BYTES} bytes`, [
      { path: 'headers.webhook-id', message: `at most ${MAX_WEBHOOK_ID_BYTES} bytes` },
    ]);
  }
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    throw new ApiError('timestamp_out_of_tolerance', 'webhook-timestamp must be unix seconds within 5 minutes of now');
  }
  return { id, timestamp, signature };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Imported HMAC keys per secret, so a delivery costs no key import (the intake's hot path). The
 * keys are not extractable; the secrets themselves are already held by the intake's shop cache.
 */
const hmacKeys = new Map<string, Promise<CryptoKey>>();
const MAX_HMAC_KEYS = 1_000;

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    const keyBytes = fromBase64(secret.replace(/^whsec_/, ''));
    key = crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (hmacKeys.size >= MAX_HMAC_KEYS) hmacKeys.clear();
    hmacKeys.set(secret, key);
    key.catch(() => hmacKeys.delete(secret));
  }
  return key;
}

async function macOf(secret: string, prefix: Uint8Array, raw: Uint8Array): Promise<Uint8Array> {
  const key = await hmacKey(secret);
  const content = new Uint8Array(prefix.length + raw.length);
  content.set(prefix);
  content.set(raw, prefix.length);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
}

function givenMacs(signature: string): Uint8Array[] {
  const macs: Uint8Array[] = [];
  for (const entry of signature.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    try {
      macs.push(fromBase64(value));
    } catch {
      // Not base64: cannot match; the other listed signatures may.
    }
  }
  return macs;
}

/**
 * Verifies the HMAC over the exact bytes received (`{id}.{timestamp}.` + raw body), then decodes them
 * as strict UTF-8. Throws the same 401s as verifySignature, and 400 `validation_failed` for a
 * webhook-id over 256 bytes or a signed body that is not UTF-8. Returns the body text.
 */
export async function verifySignedBytes(
  raw: Uint8Array,
  headers: SignatureHeaders,
  secrets: string[],
): Promise<string> {
  const { id, timestamp, signature } = checkHeaders(headers);
  const given = givenMacs(signature);
  const prefix = utf8(`${id}.${timestamp}.`);
  let matched = false;
  for (const secret of secrets) {
    const expected = await macOf(secret, prefix, raw);
    for (const mac of given) {
      if (mac.length === expected.length && crypto.subtle.timingSafeEqual(mac, expected)) matched = true;
    }
    if (matched) break;
  }
  if (!matched) throw new ApiError('signature_invalid', 'No webhook-signature matches the shop secret');
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw new ApiError('validation_failed', 'Body is not valid UTF-8', [{ path: 'body', message: 'not valid UTF-8' }]);
  }
}

/** Signs `raw` for sending: returns the three Standard Webhooks headers. */
export function signPayload(secret: string, id: string, raw: string, at = new Date()) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, raw),
  };
}
