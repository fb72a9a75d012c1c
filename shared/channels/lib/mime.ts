/**
 * A minimal raw MIME message (RFC 5322, RFC 2045-2047) for the Cloudflare
 * `send_email` binding: From, To, Subject, Date, Message-ID, MIME-Version,
 * optional extra headers, and a multipart/alternative body with a text and an
 * HTML part, both UTF-8 in base64. Everything is deterministic for one input,
 * so tests can assert the exact bytes.
 */
import { toBase64, utf8 } from '../../crypto/encoding';
import type { Mailbox } from './mailbox';

export type MimeInput = {
  from: Mailbox;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets, e.g. `msg_123@shop.example`. */
  messageId: string;
  date: Date;
  /** Extra, already-safe headers such as List-Unsubscribe. */
  headers: Record<string, string>;
  /** Must not occur in the body: base64 lines never contain "-", so an id-derived "ob-..." boundary is safe. */
  boundary: string;
};

const CRLF = '\r\n';

export function buildMime(input: MimeInput): string {
  const { boundary } = input;
  return [
    `From: ${formatMailbox(input.from)}`,
    `To: ${input.to}`,
    `Subject: ${encodeHeaderText(input.subject)}`,
    `Date: ${input.date.toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: <${input.messageId}>`,
    'MIME-Version: 1.0',
    ...Object.entries(input.headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...bodyPart('text/plain', input.text),
    `--${boundary}`,
    ...bodyPart('text/html', input.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

function bodyPart(type: string, content: string): string[] {
  const encoded = toBase64(utf8(content));
  const lines: string[] = [];
  // RFC 2045 section 6.8: encoded lines are at most 76 characters.
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', ...lines];
}

export function formatMailbox({ name, address }: Mailbox): string {
  if (!name) return address;
  return isPlainAscii(name) ? `"${name}" <${address}>` : `${encodeWords(name)} <${address}>`;
}

/** Printable ASCII stays as is; anything else (non-ASCII, CR/LF, "=?") becomes RFC 2047 encoded words. */
export function encodeHeaderText(text: string): string {
  return isPlainAscii(text) ? text : encodeWords(text);
}

const isPlainAscii = (text: string) => /^[\x20-\x7e]*$/.test(text) && !text.includes('=?') && text.length <= 900;

/**
 * RFC 2047 "B" encoded words of at most 45 UTF-8 bytes each (60 base64
 * characters, 72 with the delimiters, within the 75 allowed), never splitting
 * a character, folded onto continuation lines.
 */
export function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (utf8(chunk + char).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk || words.length === 0) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${toBase64(utf8(word))}?=`).join(`${CRLF} `);
}
