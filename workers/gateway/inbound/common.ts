/**
 * Pieces every inbound route shares: the body limit, the form and JSON readers
 * that run after authentication, and the Twilio credentials lookup. Inbound
 * routes carry no API key: they are authenticated by the provider's signature
 * (Twilio), a per-shop token (Aliyun) or an unguessable message id (unsubscribe).
 */
import { limitBody } from '../../../shared/http/body-limit';
import type { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import { twilioCredentials } from '../../../shared/channels/twilio';
import { loadCredentials } from '../../../shared/delivery/credentials';
import { ApiError, validationError } from '../../../shared/http/errors';

/** Aliyun batches many reports into one push; a 413 would make it drop them after three tries. */
export const MAX_INBOUND_BYTES = 1024 * 1024;

export const inboundBodyLimit = limitBody(MAX_INBOUND_BYTES);

/**
 * Most reports or replies one Aliyun push may carry. Each is applied in D1 batches, but the cap keeps a
 * single request's work bounded whatever fits in 1 MB; a larger push gets a clear 413.
 */
export const MAX_PUSH_ITEMS = 1000;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function requireForm(contentType: string | undefined) {
  if (!FORM_TYPE.test(contentType ?? '')) {
    throw new ApiError('unsupported_media_type', 'Content-Type must be application/x-www-form-urlencoded');
  }
}

/** Parses a JSON body against `schema`, in the common error shape. */
export function parseJson<T extends z.ZodType>(contentType: string | undefined, raw: string, schema: T): z.output<T> {
  if (!JSON_TYPE.test(contentType ?? '')) {
    throw new ApiError('unsupported_media_type', 'Content-Type must be application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ApiError('invalid_json', 'Body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Validates already-authenticated form fields against `schema`. */
export function parseForm<T extends z.ZodType>(fields: [string, string][], schema: T): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** The shop's Twilio auth token, or undefined when the shop has no (valid) Twilio credentials. */
export async function twilioAuthToken(db: Db, encryptionKey: string, shopId: string): Promise<string | undefined> {
  const stored = await loadCredentials(db, encryptionKey, shopId, 'twilio');
  const parsed = twilioCredentials.safeParse(stored);
  return parsed.success ? parsed.data.authToken : undefined;
}

/** Aliyun sends report times as "yyyy-MM-dd HH:mm:ss" in China time; anything else means now. */
export function chinaTime(text: string | undefined, fallback: Date): Date {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text?.trim() ?? '');
  const at = match ? new Date(`${match[1]}T${match[2]}+08:00`) : fallback;
  return Number.isNaN(at.getTime()) ? fallback : at;
}

/** The acknowledgement Aliyun's HTTP batch push expects (it only checks that `code` is a number). */
export const aliyunAck = { code: 0, msg: '接收成功' } as const;
