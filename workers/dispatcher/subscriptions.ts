/**
 * Tracking subscriptions as a retried outbound job: every cron pass claims the due rows of
 * `tracking_subscriptions` through its partial index (a lease pushes `due_at` out, so overlapping
 * passes never send one twice), subscribes each parcel at Kuaidi100's poll API with the shop's
 * key, the callback URL and salt, and records the outcome conditional on the claim. Kuaidi100's
 * 5xx and network errors are retried with a backoff; its refusals end the row as `failed` with the
 * reason it gave.
 */
import { and, eq } from 'drizzle-orm';
import { dbFor } from '../../shared/db/client';
import { trackingSubscriptions, type TrackingSubscription } from '../../shared/db/schema';
import { loadIntegration } from '../../shared/integrations/credentials';

export const KUAIDI100_POLL_URL = 'https://poll.kuaidi100.com/poll';
const BATCH = 50;
const LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 8;

type Env = { DB: D1Database; ENCRYPTION_KEY?: string; PUBLIC_URL: string };
type Claimed = TrackingSubscription & { leaseUntil: number };
export type SubscriptionCounts = { claimed: number; subscribed: number; retried: number; failed: number };

type Outcome = { status: 'subscribed' } | { status: 'retry'; error: string } | { status: 'failed'; error: string };

async function claimDue(d1: D1Database, now: Date): Promise<Claimed[]> {
  const leaseUntil = now.getTime() + LEASE_MS;
  const { results } = await d1
    .prepare(
      `UPDATE tracking_subscriptions SET due_at = ?2, updated_at = ?3
       WHERE rowid IN (SELECT rowid FROM tracking_subscriptions INDEXED BY tracking_subscriptions_due_idx
                       WHERE due_at IS NOT NULL AND due_at <= ?1 ORDER BY due_at LIMIT ?4)
         AND due_at <= ?1
       RETURNING shop_id, platform, carrier, tracking_number, company, attempts`,
    )
    .bind(now.getTime(), leaseUntil, now.getTime(), BATCH)
    .all<{
      shop_id: string;
      platform: 'kuaidi100';
      carrier: string;
      tracking_number: string;
      company: string | null;
      attempts: number;
    }>();
  return results.map((r) => ({
    shopId: r.shop_id,
    platform: r.platform,
    carrier: r.carrier,
    trackingNumber: r.tracking_number,
    company: r.company,
    attempts: r.attempts,
    status: 'pending',
    dueAt: new Date(leaseUntil),
    lastError: null,
    createdAt: now,
    updatedAt: now,
    leaseUntil,
  }));
}

/** The exact form Kuaidi100's subscription API takes: `schema=json&param={...}`. */
export function subscribeForm(
  row: Pick<TrackingSubscription, 'company' | 'trackingNumber' | 'shopId'>,
  key: string,
  salt: string,
  publicUrl: string,
) {
  const param = {
    company: row.company,
    number: row.trackingNumber,
    key,
    parameters: {
      callbackurl: `${publicUrl.replace(/\/$/, '')}/v1/integrations/kuaidi100/${row.shopId}`,
      salt,
      // 4: advanced states (e.g. 1001 到达派件城市) and the area of each entry.
      resultv2: '4',
    },
  };
  return new URLSearchParams({ schema: 'json', param: JSON.stringify(param) });
}

async function subscribe(env: Env, row: Claimed, fetcher: typeof fetch): Promise<Outcome> {
  const credentials = await loadIntegration(dbFor(env, row.shopId), env.ENCRYPTION_KEY, row.shopId, 'kuaidi100');
  if (!credentials) return { status: 'failed', error: 'kuaidi100 is no longer connected' };
  if (!row.company) return { status: 'failed', error: 'no Kuaidi100 company code for this carrier' };
  let res: Response;
  try {
    res = await fetcher(KUAIDI100_POLL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: subscribeForm(row, credentials.key, credentials.salt, env.PUBLIC_URL).toString(),
    });
  } catch (error) {
    return { status: 'retry', error: `network: ${String(error)}`.slice(0, 500) };
  }
  const text = await res.text();
  if (res.status >= 500) return { status: 'retry', error: `HTTP ${res.status}` };
  let answer: { result?: unknown; returnCode?: unknown; message?: unknown } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    return { status: 'retry', error: `HTTP ${res.status}: not JSON` };
  }
  const code = String(answer.returnCode ?? '');
  const message = `${code} ${String(answer.message ?? '')}`.trim().slice(0, 500);
  // 501: already subscribed (a retry after a lost answer), which is what was wanted.
  if (answer.result === true || code === '200' || code === '501') return { status: 'subscribed' };
  if (code === '500' || res.status === 429) return { status: 'retry', error: message };
  return { status: 'failed', error: message };
}

function finish(env: Env, row: Claimed, outcome: Outcome, now: Date) {
  const attempts = row.attempts + 1;
  const giveUp = outcome.status === 'retry' && attempts >= MAX_ATTEMPTS;
  const wait = Math.min(6 * 3_600_000, 60_000 * 2 ** row.attempts);
  const set =
    outcome.status === 'subscribed'
      ? { status: 'subscribed' as const, dueAt: null, lastError: null }
      : outcome.status === 'retry' && !giveUp
        ? { dueAt: new Date(now.getTime() + wait), lastError: outcome.error }
        : { status: 'failed' as const, dueAt: null, lastError: outcome.error };
  const t = trackingSubscriptions;
  return dbFor(env, row.shopId)
    .update(t)
    .set({ ...set, attempts, updatedAt: now })
    .where(
      and(
        eq(t.shopId, row.shopId),
        eq(t.platform, row.platform),
        eq(t.carrier, row.carrier),
        eq(t.trackingNumber, row.trackingNumber),
        eq(t.dueAt, new Date(row.leaseUntil)),
      ),
    );
}

/** One pass over the due subscriptions (bounded by one batch; the next pass continues). */
export async function runSubscriptions(
  env: Env,
  now: Date,
  fetcher: typeof fetch = fetch,
): Promise<SubscriptionCounts> {
  const counts: SubscriptionCounts = { claimed: 0, subscribed: 0, retried: 0, failed: 0 };
  const claimed = await claimDue(env.DB, now);
  counts.claimed = claimed.length;
  for (const row of claimed) {
    const outcome = await subscribe(env, row, fetcher);
    await finish(env, row, outcome, now);
    if (outcome.status === 'subscribed') counts.subscribed++;
    else if (outcome.status === 'retry' && row.attempts + 1 < MAX_ATTEMPTS) counts.retried++;
    else counts.failed++;
  }
  return counts;
}
