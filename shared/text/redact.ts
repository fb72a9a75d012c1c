/**
 * Keeping personal data and capabilities out of logs. Entries are masked by field: a value under a
 * phone, email or recipient key is masked whole. Free text (error messages, stacks) is searched only
 * for shapes that cannot be an id or a time: an email address, an E.164 number (`+` and 7-15 digits)
 * or a standalone 11-digit mainland mobile. Digit runs inside ids, UUIDs and timestamps stay exactly
 * as they were, so an id a client reports can be found in the logs.
 */
import { maskEmail, maskPhone } from './mask';

const EMAIL_IN_TEXT = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;
/** Not glued to a letter, digit, `_`, `-`, `.` or `:` on either side, so ids and times never match. */
const PHONE_IN_TEXT = /(?<![\w.:+-])(?:\+[1-9]\d{6,14}|1[3-9]\d{9})(?![\w.:-])/g;

/** Masks every email address and phone number inside free text. */
export function redact(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m)).replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}

const PHONE_KEY = /phone|^(?:to|from|recipient|mobile)$/i;
const EMAIL_KEY = /email|mail_?to/i;

function redactValue(key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    if (EMAIL_KEY.test(key) || (key === 'recipient' && value.includes('@'))) return maskEmail(value);
    if (PHONE_KEY.test(key)) return maskPhone(value);
    return redact(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(key, v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(k, v)]));
  }
  return value;
}

/** One JSON log line with personal fields masked. */
export function logLine(entry: Record<string, unknown>): string {
  return JSON.stringify(redactValue('', entry));
}

/** A copy of a JSON value with personal fields masked, by the same rules as `logLine`. */
export function redactFields<T>(value: T): T {
  return redactValue('', value) as T;
}
