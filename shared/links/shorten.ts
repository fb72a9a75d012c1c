/**
 * Short links for SMS: every http(s) link in a rendered SMS body becomes `${PUBLIC_URL}/s/<code>`,
 * so a text with a 125-character address link still fits two parts. Runs at planning, where the
 * text is rendered, so the stored body is the final text; the rows go in the message's own batch
 * (`shortLinkInserts`), and only if the message itself was written.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { randomToken } from '../crypto/random';
import type { Db } from '../db/client';
import { messages, shortLinks, type ShortLinkRow } from '../db/schema';

/** 8 base62 characters: ~47.6 bits, so a guess hits a live code with negligible odds. */
export const SHORT_CODE_LENGTH = 8;
/** How long a link keeps working after its message is due: long enough to be read and tapped days later. */
export const SHORT_LINK_TTL_MS = 30 * 86_400_000;
/** At most this many links are shortened per text: the loop is bounded whatever a template renders. */
export const MAX_LINKS_PER_TEXT = 10;

export const shortCodePattern = /^[0-9A-Za-z]{8}$/;

// A link runs to the first space, quote, angle bracket or non-ASCII character (Chinese text often
// follows a link with no space); sentence punctuation at its very end belongs to the sentence.
const LINK = /https?:\/\/[!#-;=?-~]+/g;
const TRAILING = /[.,;:!?'")\]]+$/;

export function shortLinkUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/s/${code}`;
}

export type Shortened = { body: string; links: { code: string; destination: string }[] };

/** The code a preview shows: shaped like a real one (so the length is right), stored nowhere. */
export const PREVIEW_CODE = 'XXXXXXXX';

/**
 * Replaces each link in `body` by a new short link (the same destination twice shares one code).
 * Links that are already short links of `publicUrl` are left as they are. `newCode` draws the codes
 * (random; a preview passes `() => PREVIEW_CODE`).
 */
export function shortenLinks(
  body: string,
  publicUrl: string,
  newCode: () => string = () => randomToken(SHORT_CODE_LENGTH),
): Shortened {
  const own = shortLinkUrl(publicUrl, '');
  const codes = new Map<string, string>();
  const out = body.replace(LINK, (match) => {
    const destination = match.replace(TRAILING, '');
    const tail = match.slice(destination.length);
    if (destination.startsWith(own) || !URL.canParse(destination)) return match;
    let code = codes.get(destination);
    if (!code) {
      if (codes.size >= MAX_LINKS_PER_TEXT) return match;
      code = newCode();
      codes.set(destination, code);
    }
    return shortLinkUrl(publicUrl, code) + tail;
  });
  return { body: out, links: [...codes].map(([destination, code]) => ({ code, destination })) };
}

/**
 * The template data with every value that is exactly a shortened destination replaced by its short
 * link: providers that send approved templates (Aliyun) build the SMS from these values, not from the
 * rendered text, so they must carry the short links too. Walks at most `MAX_DEPTH` levels.
 */
export function dataWithShortLinks(
  data: Record<string, unknown>,
  links: Shortened['links'],
  publicUrl: string,
): Record<string, unknown> {
  if (links.length === 0) return data;
  const short = new Map(links.map((l) => [l.destination, shortLinkUrl(publicUrl, l.code)]));
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return short.get(value) ?? value;
    if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, depth + 1)]));
  };
  return walk(data, 0) as Record<string, unknown>;
}

const MAX_DEPTH = 8;

const COLUMNS = [
  'code',
  'shop_id',
  'message_id',
  'kind',
  'variant',
  'destination',
  'expires_at',
  'created_at',
] as const;
const PICKS = COLUMNS.map((_, i) => `value ->> ${i}`).join(', ');
// Written only when the message row is: a message that turned out a duplicate (its business key
// existed) has a different id in the table, so its links are not stored either.
const INSERT_HEAD = `INSERT INTO short_links (${COLUMNS.join(', ')}) SELECT ${PICKS} FROM json_each(`;
const INSERT_TAIL = `) WHERE EXISTS (SELECT 1 FROM messages m WHERE m.shop_id = value ->> 1 AND m.id = value ->> 2)`;

const values = (rows: ShortLinkRow[]) =>
  JSON.stringify(
    rows.map((r) => [
      r.code,
      r.shopId,
      r.messageId,
      r.kind,
      r.variant,
      r.destination,
      r.expiresAt.getTime(),
      r.createdAt.getTime(),
    ]),
  );

/**
 * The INSERTs of `rows` for a drizzle batch, after the message INSERT: one per link (a text carries
 * at most MAX_LINKS_PER_TEXT), each a no-op unless its message was written.
 */
export function shortLinkInserts(db: Db, rows: ShortLinkRow[] | undefined): BatchItem<'sqlite'>[] {
  return (rows ?? []).map((r) =>
    db.insert(shortLinks).select(
      db
        .select({
          code: sql<string>`${r.code}`.as('code'),
          shopId: messages.shopId,
          messageId: messages.id,
          kind: sql<string>`${r.kind}`.as('kind'),
          variant: sql<string>`${r.variant}`.as('variant'),
          destination: sql<string>`${r.destination}`.as('destination'),
          expiresAt: sql<number>`${r.expiresAt.getTime()}`.as('expires_at'),
          clicks: sql<number>`0`.as('clicks'),
          firstClickAt: sql<null>`null`.as('first_click_at'),
          lastClickAt: sql<null>`null`.as('last_click_at'),
          createdAt: sql<number>`${r.createdAt.getTime()}`.as('created_at'),
        })
        .from(messages)
        .where(and(eq(messages.shopId, r.shopId), eq(messages.id, r.messageId))),
    ),
  );
}

/** The same INSERT as a raw D1 statement, for a batch of raw statements (`planMany`); null for no rows. */
export function shortLinksStatement(d1: D1Database, rows: ShortLinkRow[]): D1PreparedStatement | null {
  if (!rows.length) return null;
  return d1.prepare(`${INSERT_HEAD}?1${INSERT_TAIL}`).bind(values(rows));
}
