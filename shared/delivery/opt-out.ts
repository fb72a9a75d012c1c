/**
 * Opt-out from buyer replies and unsubscribe links.
 *
 * A reply opts out only when the whole message, trimmed and compared without
 * case (after NFKC, so full-width "ＴＤ" counts as "TD"), is one of the words
 * below: the English carrier keywords Twilio also honours, and the replies
 * Chinese SMS footers ask for ("回T退订", "拒收请回复R"). Anything longer, such as
 * "Rice please", "STOP!" or "回复退订", is not an opt-out: guessing at free text
 * would silence buyers who were only talking to the shop. Phrases can be added
 * to OPT_OUT_WORDS when a shop's footer asks for one. OPT_IN_WORDS re-subscribe on the same rule, and
 * every change, either way, is an audit row with its source (docs/MESSAGE-CLASSES.md).
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, customers, type Channel } from '../db/schema';

export const OPT_OUT_WORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'END',
  'QUIT',
  'CANCEL',
  'R',
  'T',
  'TD',
  'N',
  '退订',
]);

export function isOptOutReply(text: string | null | undefined): boolean {
  if (!text) return false;
  return OPT_OUT_WORDS.has(text.normalize('NFKC').trim().toUpperCase());
}

/**
 * Replies that opt back in (re-subscribe), on the same whole-message rule: the carrier keywords START,
 * UNSTOP and YES (Twilio's opt-in words), SUBSCRIBE, and 订阅 / 恢复订阅 / 开通.
 */
export const OPT_IN_WORDS: ReadonlySet<string> = new Set([
  'START',
  'UNSTOP',
  'YES',
  'SUBSCRIBE',
  '订阅',
  '恢复订阅',
  '开通',
]);

export function isOptInReply(text: string | null | undefined): boolean {
  if (!text) return false;
  return OPT_IN_WORDS.has(text.normalize('NFKC').trim().toUpperCase());
}

/** Who opts out (or back in): any of these (combined with OR) within the shop. */
export type OptOutTarget = { phone?: string; email?: string; buyerId?: string; channel: Channel };

/** Where a consent change came from, recorded on its audit row. */
export type ConsentSource = 'sms_reply:twilio' | 'sms_reply:aliyun' | 'email_unsubscribe' | 'email_resubscribe' | 'api';
export type ConsentChange = { direction: 'out' | 'in'; source: ConsentSource; actorKeyId?: string | null };

function who(target: OptOutTarget): SQL | undefined {
  const any: SQL[] = [];
  if (target.phone) any.push(eq(customers.phone, target.phone));
  if (target.email) any.push(sql`lower(${customers.email}) = ${target.email.toLowerCase()}`);
  if (target.buyerId) any.push(eq(customers.id, target.buyerId));
  return any.length ? or(...any) : undefined;
}

const holds = (channel: Channel) =>
  sql`EXISTS (SELECT 1 FROM json_each(${customers.optedOutChannels}) WHERE json_each.value = ${channel})`;

/**
 * The two statements of one consent change, to run in this order in one batch: an audit row for every
 * customer the change will move (written first, while the match still sees them), then the UPDATE.
 * Opting out adds `channel` to `opted_out_channels` without duplicates; opting in removes it. Customers
 * already in the wanted state are neither changed nor audited. Undefined when the target names nobody.
 */
export function consentStatements(
  db: Db,
  shopId: string,
  target: OptOutTarget,
  change: ConsentChange,
  now = new Date(),
) {
  const match = who(target);
  if (!match) return undefined;
  const moving = and(
    eq(customers.shopId, shopId),
    match,
    change.direction === 'out' ? sql`NOT ${holds(target.channel)}` : holds(target.channel),
  );
  const action = change.direction === 'out' ? 'customer.opt_out' : 'customer.opt_in';
  const audit = db.insert(auditLog).select(
    db
      .select({
        id: sql<string>`'aud_' || lower(hex(randomblob(12)))`.as('id'),
        shopId: customers.shopId,
        actorKeyId: sql<string | null>`${change.actorKeyId ?? null}`.as('actor_key_id'),
        action: sql<string>`${action}`.as('action'),
        entity: sql<string>`'customers'`.as('entity'),
        entityId: customers.id,
        changes: sql<string>`json_object('channel', ${target.channel}, 'source', ${change.source})`.as('changes'),
        createdAt: sql<number>`${now.getTime()}`.as('created_at'),
      })
      .from(customers)
      .where(moving),
  );
  const optedOutChannels =
    change.direction === 'out'
      ? sql`json_insert(${customers.optedOutChannels}, '$[#]', ${target.channel})`
      : sql`(SELECT json_group_array(value) FROM json_each(${customers.optedOutChannels}) WHERE value != ${target.channel})`;
  const update = db
    .update(customers)
    .set({ optedOutChannels, updatedAt: now })
    .where(moving)
    .returning({ id: customers.id });
  return [audit, update] as const;
}

/** One consent change, audited; returns how many customers changed (0 when none matched or none moved). */
export async function changeConsent(
  db: Db,
  shopId: string,
  target: OptOutTarget,
  change: ConsentChange,
): Promise<number> {
  const statements = consentStatements(db, shopId, target, change);
  if (!statements) return 0;
  const [, updated] = await db.batch(statements);
  return updated.length;
}

/** Opts out of `channel` (see `changeConsent`). */
export const optOut = (db: Db, shopId: string, target: OptOutTarget, source: ConsentSource = 'api') =>
  changeConsent(db, shopId, target, { direction: 'out', source });

/** Consent changes per D1 batch (two statements each): a full push takes four batches. */
const CHANGES_PER_BATCH = 250;

/** Many consent changes (a provider's batch push) in a few D1 batches instead of round trips each. */
export async function changeConsentMany(
  db: Db,
  shopId: string,
  changes: { target: OptOutTarget; change: ConsentChange }[],
): Promise<number> {
  const statements = changes.flatMap((c) => consentStatements(db, shopId, c.target, c.change) ?? []);
  let changed = 0;
  for (let i = 0; i < statements.length; i += CHANGES_PER_BATCH) {
    const chunk = statements.slice(i, i + CHANGES_PER_BATCH).flat();
    const results = await db.batch(chunk as unknown as [(typeof chunk)[number], ...typeof chunk]);
    // Every second result is an UPDATE ... RETURNING; the audit INSERTs return no rows.
    changed += results.reduce((n, rows, j) => n + (j % 2 === 1 ? (rows as unknown[]).length : 0), 0);
  }
  return changed;
}

/**
 * Aliyun pushes mainland numbers as 11 bare digits and others with their country
 * code but no "+"; customers hold E.164. The inverse of `aliyunPhone`.
 */
export function e164FromAliyun(phone: string): string | undefined {
  const digits = phone.trim().replace(/^\+/, '');
  if (/^1\d{10}$/.test(digits)) return `+86${digits}`;
  if (/^[1-9]\d{6,14}$/.test(digits)) return `+${digits}`;
  return undefined;
}
