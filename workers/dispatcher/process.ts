/**
 * One dispatch job: claim the message, apply the send-time policy, call the
 * providers, and record the outcome. Claim before send, record right after:
 * a crash in between leaves a `sending` row whose lease the reaper resolves.
 */
import { and, eq } from 'drizzle-orm';
import { ProviderError } from '../../shared/channels/types';
import { db as drizzleDb, type Db } from '../../shared/db/client';
import { customers, orders, shops, type Customer, type Message } from '../../shared/db/schema';
import { retryDelayMs } from '../../shared/delivery/backoff';
import { prepareFallback } from '../../shared/delivery/fallback';
import { outboundMessage } from '../../shared/delivery/outbound';
import { claim, finish, markSent, noteProvider, reschedule } from '../../shared/delivery/outbox';
import { enqueuePrepared, type DispatchJob } from '../../shared/delivery/plan';
import { logLine } from '../../shared/text/redact';
import { checkPolicy, pastDeadline } from '../../shared/delivery/policy';
import { deliverySettings, providersFor, type DeliverySettings } from '../../shared/delivery/settings';
import type { MessageKind } from '../../shared/templates/kinds';
import { PROVIDER_TIMEOUT_MS, sendThroughProviders, withTimeout } from './send';

export type DispatcherEnv = Cloudflare.DispatcherEnv;
/** `retryInMs` is set for a transient failure: the queue message is retried after that delay. */
export type Outcome = { status: string; reason?: string; retryInMs?: number };

/** What the fallback needs from the claim: the buyer and settings the policy already loaded. */
type Loaded = { customer: Customer | undefined; settings: DeliverySettings };

export async function processJob(
  env: DispatcherEnv,
  job: DispatchJob,
  now = new Date(),
  fetcher: typeof fetch = fetch,
  options: { providerTimeoutMs?: number } = {},
): Promise<Outcome> {
  const db = drizzleDb(env.DB);
  const m = await claim(db, job.shopId, job.messageId, now);
  if (!m) return { status: 'not_claimed' };
  const [shop, order] = await Promise.all([
    db.query.shops.findFirst({ where: eq(shops.id, m.shopId) }),
    db.query.orders.findFirst({ where: and(eq(orders.shopId, m.shopId), eq(orders.id, m.orderId)) }),
  ]);
  if (!shop) {
    await finish(db, m, 'failed', 'no_provider', now, 'shop no longer exists');
    return { status: 'failed', reason: 'no_provider' };
  }
  const customer = m.buyerId
    ? await db.query.customers.findFirst({ where: and(eq(customers.shopId, m.shopId), eq(customers.id, m.buyerId)) })
    : undefined;
  const settings = deliverySettings(shop.delivery);
  const loaded: Loaded = { customer, settings };

  const verdict = await checkPolicy(db, { message: m, order, customer, shop, settings, now });
  if (verdict.action === 'defer') {
    await reschedule(db, m, verdict.until, now, { reason: verdict.reason });
    // The due scan queues it again when the window ends (queue delays are capped at 12 h).
    return { status: 'queued', reason: verdict.reason };
  }
  if (verdict.action !== 'send') {
    await finish(db, m, verdict.status, verdict.reason, now);
    if (verdict.action === 'fallback') await fallback(env, db, m, `${verdict.reason}:${m.channel}`, loaded, now);
    return { status: verdict.status, reason: verdict.reason };
  }

  const attempt = await sendThroughProviders(
    db,
    env.ENCRYPTION_KEY,
    providersFor(settings, m.channel, m.kind as MessageKind),
    outboundMessage(m, { publicUrl: env.PUBLIC_URL }),
    {
      // Without a timeout a hung call would outlive its lease and be reaped while still in flight.
      fetch: withTimeout(fetcher, options.providerTimeoutMs ?? PROVIDER_TIMEOUT_MS),
      now: () => now,
      bindings: { SEND_EMAIL: env.SEND_EMAIL },
    },
    (provider) => noteProvider(db, m, provider, now),
  );
  if (attempt.ok) {
    // The issue asks for the fallback reason on the message: record providers passed over, after any channel reason.
    const fallbackReason = attempt.passed.length
      ? [m.fallbackReason, ...attempt.passed].filter(Boolean).join(';')
      : undefined;
    await markSent(db, m, { provider: attempt.provider, ...attempt.result, fallbackReason }, now);
    return { status: attempt.result.status };
  }
  if (attempt.unknown) {
    // Never resend blindly: keep the lease; the reaper asks the provider, or parks the message as dead.
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'no answer from provider; left to the reaper',
        id: m.id,
        provider: attempt.provider,
      }),
    );
    return { status: 'sending', reason: 'no_answer' };
  }
  return handleFailure(env, db, m, attempt.error, attempt.provider, loaded, now);
}

async function handleFailure(
  env: DispatcherEnv,
  db: Db,
  m: Message,
  error: ProviderError,
  provider: string | null,
  loaded: Loaded,
  now: Date,
): Promise<Outcome> {
  const maxAttempts = loaded.settings.max_attempts;
  const detail = `${provider ?? 'none'}: ${error.message}${error.options.code ? ` (${error.options.code})` : ''}`;
  console.warn(logLine({ level: 'warn', msg: 'send failed', id: m.id, kind: error.kind, detail }));
  if (error.kind === 'transient' && m.attempts < maxAttempts) {
    const delay = retryDelayMs(m.attempts, error.options.retryAfterMs);
    // A retry after the send-by deadline would carry an untrue text: end it now, with the error kept.
    if (pastDeadline(m, new Date(now.getTime() + delay))) {
      await finish(db, m, 'skipped', 'expired', now, detail);
      return { status: 'skipped', reason: 'expired' };
    }
    await reschedule(db, m, new Date(now.getTime() + delay), now, { error: detail, provider: provider ?? undefined });
    return { status: 'queued', retryInMs: delay };
  }
  if (error.kind === 'transient') {
    await finish(db, m, 'dead', 'retries_exhausted', now, detail);
    return { status: 'dead', reason: 'retries_exhausted' };
  }
  const reason = error.options.code === 'no_provider' ? 'no_provider' : 'provider_rejected';
  await finish(db, m, 'failed', reason, now, detail);
  await fallback(env, db, m, `${reason}:${m.channel}`, loaded, now);
  return { status: 'failed', reason };
}

/**
 * Carries the message on to the next channel of the route fixed when it was planned, with the text
 * rendered then: no template is read and nothing renders here.
 */
async function fallback(env: DispatcherEnv, db: Db, m: Message, reason: string, loaded: Loaded, now: Date) {
  const prepared = prepareFallback(db, m, { ...loaded, reason, now });
  if (prepared) await enqueuePrepared(env.DISPATCH as Queue<DispatchJob>, prepared, await prepared.insert, now);
}
