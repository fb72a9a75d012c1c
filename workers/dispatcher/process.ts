/**
 * One dispatch job: claim the message, apply the send-time policy, call the
 * providers, and record the outcome. Claim before send, record right after:
 * a crash in between leaves a `sending` row whose lease the reaper resolves.
 *
 * The claim and everything the send reads (shop, order, buyer, the blacklist, a notice's parcel,
 * whether the order was reviewed, the shop's sealed provider credentials) take one D1 round trip
 * (./claim.ts): D1 runs a database's queries one at a time, so the round trips per message, not the
 * dispatcher's own CPU, bound delivery (BENCHMARKS.md, delivery).
 */
import { ProviderError } from '../../shared/channels/types';
import { db as drizzleDb, type Db } from '../../shared/db/client';
import { direct, type RunStatements } from '../../shared/db/coalesce';
import type { Customer, Message } from '../../shared/db/schema';
import { openCredentials } from '../../shared/delivery/credentials';
import type { Provider } from '../../shared/channels/types';
import { retryDelayMs } from '../../shared/delivery/backoff';
import { prepareFallback } from '../../shared/delivery/fallback';
import { outboundMessage } from '../../shared/delivery/outbound';
import { finish, markSent, noteProvider, reschedule } from '../../shared/delivery/outbox';
import { enqueuePrepared, type DispatchJob } from '../../shared/delivery/plan';
import { logLine } from '../../shared/text/redact';
import { checkPolicy, pastDeadline } from '../../shared/delivery/policy';
import { deliverySettings, providersFor, type DeliverySettings } from '../../shared/delivery/settings';
import type { MessageKind } from '../../shared/templates/kinds';
import { claimWithContext, type Claimed, type ClaimJob } from './claim';
import { PROVIDER_TIMEOUT_MS, sendThroughProviders, withTimeout, type CredentialsOf } from './send';

export type DispatcherEnv = Cloudflare.DispatcherEnv;
/** `retryInMs` is set for a transient failure: the queue message is retried after that delay. */
export type Outcome = { status: string; reason?: string; retryInMs?: number };

/** What the fallback needs from the claim: the buyer and settings the policy already loaded. */
type Loaded = { customer: Customer | undefined; settings: DeliverySettings };

type JobOptions = {
  providerTimeoutMs?: number;
  /** How the claim, provider notes and outcomes reach D1: one batch per call, or coalesced across jobs. */
  run?: (db: Db) => RunStatements;
  /** The claim shared by a queue batch's jobs (claim.ts batchClaims); by default each job claims alone. */
  claim?: ClaimJob;
  /** Called once the send-time policy decided, before its verdict is written: `sending` when it cleared the send. */
  decided?: (sending: boolean) => void;
};

/**
 * When a send starts (`at`); `enter`, awaited after the first provider's note is written and before
 * its call, for a place in the send window (./window.ts), resolving with the time the call starts;
 * a call once the providers answered; and how the outcome reaches D1 (by default as the provider
 * notes do). The outcome is written after `answered`, so nothing waits on it but the send's own
 * end: it may wait for company where a note, which goes before the call, may not.
 */
export type SendTiming = { at?: Date; enter?: () => Promise<Date>; answered?: () => void; record?: RunStatements };

/**
 * A job after its claim and the send-time policy: either finished (`outcome`), or claimed and
 * cleared to send, with `send` calling the providers and recording the outcome through `run` (by
 * default the claim's).
 */
export type Prepared = { outcome: Outcome } | { send: (run?: RunStatements, timing?: SendTiming) => Promise<Outcome> };

/** One job from claim to recorded outcome. */
export async function processJob(
  env: DispatcherEnv,
  job: DispatchJob,
  now = new Date(),
  fetcher: typeof fetch = fetch,
  options: JobOptions = {},
): Promise<Outcome> {
  const prepared = await prepareJob(env, job, now, fetcher, options);
  return 'outcome' in prepared ? prepared.outcome : prepared.send();
}

/** Claims the job's message and applies the send-time policy; everything before a provider call. */
export async function prepareJob(
  env: DispatcherEnv,
  job: DispatchJob,
  now = new Date(),
  fetcher: typeof fetch = fetch,
  options: JobOptions = {},
): Promise<Prepared> {
  const claimed = await claimJob(env, job, now, options);
  if (!claimed) return { outcome: { status: 'not_claimed' } };
  return prepareClaimed(env, claimed, now, fetcher, options);
}

/** Claims the job's message with everything its send reads; undefined when it was not claimed. */
function claimJob(
  env: DispatcherEnv,
  job: DispatchJob,
  now: Date,
  options: Pick<JobOptions, 'run' | 'claim'> = {},
): Promise<Claimed | undefined> {
  if (options.claim) return options.claim(job, now);
  const db = drizzleDb(env.DB);
  return claimWithContext(db, (options.run ?? direct)(db), job, now);
}

/** Applies the send-time policy to a claimed message: ends it, or clears it to send. */
export async function prepareClaimed(
  env: DispatcherEnv,
  claimed: Claimed,
  now = new Date(),
  fetcher: typeof fetch = fetch,
  options: JobOptions = {},
): Promise<Prepared> {
  const db = drizzleDb(env.DB);
  const run = (options.run ?? direct)(db);
  const { message: m, shop, order, customer, blacklisted, parcel, reviewed } = claimed;
  if (!shop) {
    await run([finish(db, m, 'failed', 'no_provider', now, 'shop no longer exists')]);
    return { outcome: { status: 'failed', reason: 'no_provider' } };
  }
  const settings = deliverySettings(shop.delivery);
  const loaded: Loaded = { customer, settings };

  const input = { message: m, order, customer, shop, settings, now, blacklisted, parcel, reviewed };
  const verdict = await checkPolicy(db, input);
  options.decided?.(verdict.action === 'send');
  if (verdict.action === 'defer') {
    await run([reschedule(db, m, verdict.until, now, { reason: verdict.reason })]);
    // The due scan queues it again when the window ends (queue delays are capped at 12 h).
    return { outcome: { status: 'queued', reason: verdict.reason } };
  }
  if (verdict.action !== 'send') {
    await run([finish(db, m, verdict.status, verdict.reason, now)]);
    if (verdict.action === 'fallback') await fallback(env, db, m, `${verdict.reason}:${m.channel}`, loaded, now);
    return { outcome: { status: verdict.status, reason: verdict.reason } };
  }
  return {
    send: (sendRun = run, timing = {}) =>
      send(env, db, sendRun, claimed, loaded, fetcher, {
        providerTimeoutMs: options.providerTimeoutMs,
        now,
        ...timing,
      }),
  };
}

/** Calls the providers for a claimed message and records the outcome. */
async function send(
  env: DispatcherEnv,
  db: Db,
  run: RunStatements,
  claimed: Claimed,
  loaded: Loaded,
  fetcher: typeof fetch,
  options: SendTiming & { now: Date; providerTimeoutMs: number | undefined },
): Promise<Outcome> {
  const { providerTimeoutMs, answered } = options;
  let now = options.at ?? options.now;
  let enter = options.enter;
  const m = claimed.message;
  const attempt = await sendThroughProviders(
    credentialsFrom(claimed.credentials, env.ENCRYPTION_KEY),
    providersFor(loaded.settings, m.channel, m.kind as MessageKind),
    outboundMessage(m, { publicUrl: env.PUBLIC_URL }),
    {
      // Without a timeout a hung call would outlive its lease and be reaped while still in flight.
      fetch: withTimeout(fetcher, providerTimeoutMs ?? PROVIDER_TIMEOUT_MS),
      now: () => now,
      bindings: { SEND_EMAIL: env.SEND_EMAIL },
    },
    async (provider) => {
      await run([noteProvider(db, m, provider, now)]);
      // The place is taken once the note is durable: it bounds provider calls, not D1 writes.
      if (enter) [now, enter] = [await enter(), undefined];
    },
  );
  answered?.();
  const record = options.record ?? run;
  if (attempt.ok) {
    // The issue asks for the fallback reason on the message: record providers passed over, after any channel reason.
    const fallbackReason = attempt.passed.length
      ? [m.fallbackReason, ...attempt.passed].filter(Boolean).join(';')
      : undefined;
    await record([markSent(db, m, { provider: attempt.provider, ...attempt.result, fallbackReason }, now)]);
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
  return handleFailure(env, db, record, m, attempt.error, attempt.provider, loaded, now);
}

async function handleFailure(
  env: DispatcherEnv,
  db: Db,
  run: RunStatements,
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
      await run([finish(db, m, 'skipped', 'expired', now, detail)]);
      return { status: 'skipped', reason: 'expired' };
    }
    await run([
      reschedule(db, m, new Date(now.getTime() + delay), now, { error: detail, provider: provider ?? undefined }),
    ]);
    return { status: 'queued', retryInMs: delay };
  }
  if (error.kind === 'transient') {
    await run([finish(db, m, 'dead', 'retries_exhausted', now, detail)]);
    return { status: 'dead', reason: 'retries_exhausted' };
  }
  const reason = error.options.code === 'no_provider' ? 'no_provider' : 'provider_rejected';
  await run([finish(db, m, 'failed', reason, now, detail)]);
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

/** Provider settings from the rows read with the claim, opened only for the providers tried. */
function credentialsFrom(
  rows: { provider: string; ciphertext: string }[],
  encryptionKey: string | undefined,
): CredentialsOf {
  const sealed = new Map(rows.map((r) => [r.provider, r.ciphertext]));
  return async (provider: Provider) => {
    const ciphertext = sealed.get(provider);
    return ciphertext === undefined ? undefined : openCredentials(encryptionKey, ciphertext);
  };
}
