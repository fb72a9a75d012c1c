/**
 * Standard Webhooks signing and verification (https://www.standardwebhooks.com),
 * used for shops' inbound order webhooks and for our outbound signed webhooks.
 * The HMAC and its constant-time comparison come from the `standardwebhooks` library;
 * this module adds the error codes of orderbell's contract and secret rotation.
 */
import { Webhook } from 'standardwebhooks';
import { ApiError } from '../http/errors';
import { randomBytes } from '../crypto/random';
import { toBase64 } from '../crypto/encoding';

export const TOLERANCE_SECONDS = 5 * 60;

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
  const nowMs = Date.now();
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) {
    throw new ApiError('signature_missing', 'webhook-id, webhook-timestamp and webhook-signature headers are required');
  }
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    throw new ApiError('timestamp_out_of_tolerance', 'webhook-timestamp must be unix seconds within 5 minutes of now');
  }
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

/** Signs `raw` for sending: returns the three Standard Webhooks headers. */
export function signPayload(secret: string, id: string, raw: string, at = new Date()) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, raw),
  };
}
