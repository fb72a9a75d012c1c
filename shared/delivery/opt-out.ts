/**
 * Opt-out from buyer replies and unsubscribe links.
 *
 * A reply opts out only when the whole message, trimmed and compared without
 * case (after NFKC, so full-width "ＴＤ" counts as "TD"), is one of the words
 * below: the English carrier keywords Twilio also honours, and the replies
 * Chinese SMS footers ask for ("回T退订", "拒收请回复R"). Anything longer, such as
 * "Rice please", "STOP!" or "回复退订", is not an opt-out: guessing at free text
 * would silence buyers who were only talking to the shop. Phrases can be added
 * to OPT_OUT_WORDS when a shop's footer asks for one.
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, type Channel } from '../db/schema';

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

/** Who opts out: any of these (combined with OR) within the shop. */
export type OptOutTarget = { phone?: string; email?: string; buyerId?: string; channel: Channel };

/**
 * Adds `channel` to `opted_out_channels` of every customer of the shop with that
 * phone (E.164, exact), email (case-insensitive) or buyer id, without duplicates.
 * Returns how many customers changed: 0 when none matched or all had opted out.
 */
function optOutUpdate(db: Db, shopId: string, target: OptOutTarget) {
  const who: SQL[] = [];
  if (target.phone) who.push(eq(customers.phone, target.phone));
  if (target.email) who.push(sql`lower(${customers.email}) = ${target.email.toLowerCase()}`);
  if (target.buyerId) who.push(eq(customers.id, target.buyerId));
  if (who.length === 0) return undefined;
  return db
    .update(customers)
    .set({
      optedOutChannels: sql`json_insert(${customers.optedOutChannels}, '$[#]', ${target.channel})`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(customers.shopId, shopId),
        or(...who),
        sql`NOT EXISTS (SELECT 1 FROM json_each(${customers.optedOutChannels}) WHERE json_each.value = ${target.channel})`,
      ),
    )
    .returning({ id: customers.id });
}

export async function optOut(db: Db, shopId: string, target: OptOutTarget): Promise<number> {
  const update = optOutUpdate(db, shopId, target);
  return update ? (await update).length : 0;
}

const OPT_OUTS_PER_BATCH = 250;

/** Many opt-outs (a provider's batch push) in a few D1 batches instead of one round trip each. */
export async function optOutMany(db: Db, shopId: string, targets: OptOutTarget[]): Promise<number> {
  const updates = targets.flatMap((t) => optOutUpdate(db, shopId, t) ?? []);
  let changed = 0;
  for (let i = 0; i < updates.length; i += OPT_OUTS_PER_BATCH) {
    const chunk = updates.slice(i, i + OPT_OUTS_PER_BATCH);
    const results = await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
    changed += results.reduce((n, rows) => n + rows.length, 0);
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
