/**
 * One dispatch job: claim the message, apply the send-time policy, call the
 * providers, and record the outcome. Claim before send, record right after:
 * a crash in between leaves a `sending` row whose lease the reaper resolves.
 */
import { and, eq } from 'drizzle-orm';
import { ProviderError, type OutboundMessage } from '../../shared/channels/types';
import { db as drizzleDb, type Db } from '../../shared/db/client';
import { customers, orders, shops, type Message, type OrderState, type Persona } from '../../shared/db/schema';
import { retryDelayMs } from '../../shared/delivery/backoff';
import { claim, finish, markSent, noteProvider, reschedule } from '../../shared/delivery/outbox';
import { planMessage, type DispatchJob } from '../../shared/delivery/plan';
import { logLine } from '../../shared/text/redact';
import { checkPolicy } from '../../shared/delivery/policy';
import { deliverySettings, providersFor } from '../../shared/delivery/settings';
import { isTransactional, type MessageKind } from '../../shared/templates/kinds';
import { PROVIDER_TIMEOUT_MS, sendThroughProviders, withTimeout } from './send';

export type DispatcherEnv = Cloudflare.DispatcherEnv;
/** `retryInMs` is set for a transient failure: the queue message is retried after that delay. */
export type Outcome = { status: string; reason?: string; retryInMs?: number };

function outbound(m: Message, env: DispatcherEnv): OutboundMessage {
  const base = env.PUBLIC_URL.replace(/\/$/, '');
  return {
    id: m.id,
    shopId: m.shopId,
    orderId: m.orderId,
    kind: m.kind as MessageKind,
    transactional: isTransactional(m.kind as MessageKind),
    channel: m.channel,
    recipient: m.recipient,
    rendered: m.rendered!,
    data: m.data ?? {},
    unsubscribeUrl: `${base}/v1/unsubscribe/${m.shopId}/${m.id}`,
    statusCallbackUrl: `${base}/v1/receipts/${m.shopId}`,
  };
}

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

  const verdict = await checkPolicy(db, { message: m, order, customer, shop, settings, now });
  if (verdict.action === 'defer') {
    await reschedule(db, m, verdict.until, now, { reason: verdict.reason });
    // The due scan queues it again when the window ends (queue delays are capped at 12 h).
    return { status: 'queued', reason: verdict.reason };
  }
  if (verdict.action !== 'send') {
    await finish(db, m, verdict.status, verdict.reason, now);
    if (verdict.action === 'fallback') await fallback(env, db, m, `${verdict.reason}:${m.channel}`, now);
    return { status: verdict.status, reason: verdict.reason };
  }

  const attempt = await sendThroughProviders(
    db,
    env.ENCRYPTION_KEY,
    providersFor(settings, m.channel, m.kind as MessageKind),
    outbound(m, env),
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
  return handleFailure(env, db, m, attempt.error, attempt.provider, settings.max_attempts, now);
}

async function handleFailure(
  env: DispatcherEnv,
  db: Db,
  m: Message,
  error: ProviderError,
  provider: string | null,
  maxAttempts: number,
  now: Date,
): Promise<Outcome> {
  const detail = `${provider ?? 'none'}: ${error.message}${error.options.code ? ` (${error.options.code})` : ''}`;
  console.warn(logLine({ level: 'warn', msg: 'send failed', id: m.id, kind: error.kind, detail }));
  if (error.kind === 'transient' && m.attempts < maxAttempts) {
    const delay = retryDelayMs(m.attempts, error.options.retryAfterMs);
    await reschedule(db, m, new Date(now.getTime() + delay), now, { error: detail, provider: provider ?? undefined });
    return { status: 'queued', retryInMs: delay };
  }
  if (error.kind === 'transient') {
    await finish(db, m, 'dead', 'retries_exhausted', now, detail);
    return { status: 'dead', reason: 'retries_exhausted' };
  }
  const reason = error.options.code === 'no_provider' ? 'no_provider' : 'provider_rejected';
  await finish(db, m, 'failed', reason, now, detail);
  await fallback(env, db, m, `${reason}:${m.channel}`, now);
  return { status: 'failed', reason };
}

/** Plans the same message on the next reachable channel of the route, if any. */
async function fallback(env: DispatcherEnv, db: Db, m: Message, reason: string, now: Date) {
  const shop = await db.query.shops.findFirst({ where: eq(shops.id, m.shopId) });
  const customer = m.buyerId
    ? await db.query.customers.findFirst({ where: and(eq(customers.shopId, m.shopId), eq(customers.id, m.buyerId)) })
    : null;
  if (!shop || !m.data) return;
  const buyer = (m.data.buyer ?? {}) as { returning?: boolean; persona?: Persona | '' };
  await planMessage(
    db,
    env.DISPATCH as Queue<DispatchJob>,
    {
      shop,
      orderId: m.orderId,
      customer: customer ?? null,
      kind: m.kind as MessageKind,
      step: m.step,
      locale: m.locale ?? customer?.locale ?? 'zh-CN',
      data: m.data,
      audience: { returning: buyer.returning ?? false, persona: buyer.persona || null },
      expectsOrderState: (m.expectsOrderState as OrderState | null) ?? undefined,
      after: m.channel,
      fallbackReason: reason,
    },
    now,
  );
}
