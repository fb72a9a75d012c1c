/**
 * Provider faults on the webhook channel, with a controlled clock: each case
 * ends with no message sent twice and none lost (terminal, or queued with a
 * due time and the error that put it there).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assertProvidersClean, fakeProvider } from '../../test/helpers/fake-provider';
import {
  DAY,
  HOOK_URL,
  assertNothingLost,
  at,
  dispatcherEnv,
  plan,
  row,
  rowsOf,
  scene,
  withFallback,
  webhookFirst,
} from '../../test/helpers/dispatch';
import { processJob } from './process';

afterEach(assertProvidersClean);

describe('provider faults', () => {
  it('500: queued again with backoff, then sent once at the due time', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 500, body: 'boom' });
    const env = dispatcherEnv();

    const first = await processJob(env, job, DAY, provider.fetch);
    expect(first.status).toBe('queued');
    const waiting = await row(job.messageId);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, provider: 'webhook' });
    expect(waiting.lastError).toContain('HTTP 500');
    // Capped exponential backoff with jitter: between half and all of the 30 s base for the first retry.
    const delay = waiting.dueAt!.getTime() - DAY.getTime();
    expect(delay).toBeGreaterThanOrEqual(15_000);
    expect(delay).toBeLessThanOrEqual(30_000);
    expect(first.retryInMs).toBe(delay);
    expect(waiting.nextAttemptAt).toEqual(waiting.dueAt);

    // Not before it is due: no provider call.
    expect(await processJob(env, job, at(waiting.dueAt!, -1), provider.fetch)).toEqual({ status: 'not_claimed' });

    provider.answer(200);
    const second = await processJob(env, job, waiting.dueAt!, provider.fetch);
    expect(second.status).toBe('delivered');
    const done = await row(job.messageId);
    expect(done).toMatchObject({ status: 'delivered', attempts: 2, providerMessageId: job.messageId, lastError: null });
    expect(provider.sendsFor(job.messageId)).toBe(2);
    expect(provider.acceptedFor(job.messageId)).toBe(1);
    // The same webhook-id both times: the shop's receiver can dedupe a retry.
    expect(new Set(provider.requests.map((r) => r.id))).toEqual(new Set([job.messageId]));
    expect(env.queue.sent).toEqual([]);
    assertNothingLost(await rowsOf(s.shop.id, s.order.id));
  });

  it('429 with Retry-After: 120 waits at least 120 s', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 429, headers: { 'retry-after': '120' } });
    const outcome = await processJob(dispatcherEnv(), job, DAY, provider.fetch);
    const m = await row(job.messageId);
    expect(m).toMatchObject({ status: 'queued', attempts: 1 });
    expect(m.dueAt!.getTime()).toBeGreaterThanOrEqual(DAY.getTime() + 120_000);
    expect(outcome.retryInMs).toBeGreaterThanOrEqual(120_000);
    expect(m.lastError).toContain('HTTP 429');
    assertNothingLost(await rowsOf(s.shop.id, s.order.id));
  });

  it('a permanent 400 fails the message and plans it on the next channel', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 400);
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'failed', reason: 'provider_rejected' });

    const [failed, next] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(failed).toMatchObject({ id: job.messageId, status: 'failed', reason: 'provider_rejected', attempts: 1 });
    expect(failed!.lastError).toContain('HTTP 400');
    expect(next).toMatchObject({ channel: 'email', recipient: s.buyer.email, status: 'queued' });
    expect(next!.fallbackReason).toContain('provider_rejected');
    expect(next!.fallbackReason).toContain('webhook');
    expect(env.queue.sent.map((j) => j.body)).toEqual([{ shopId: s.shop.id, messageId: next!.id }]);

    // The fallback goes out through `local`: no further request to the webhook.
    expect(await processJob(env, env.queue.sent[0]!.body, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(provider.sendsFor(job.messageId)).toBe(1);
    assertNothingLost(await rowsOf(s.shop.id, s.order.id));
  });

  it('retries exhausted (max_attempts 2): dead with retries_exhausted', async () => {
    const s = await scene(webhookFirst({ max_attempts: 2 }));
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 503, 502);
    const env = dispatcherEnv();
    await processJob(env, job, DAY, provider.fetch);
    const due = (await row(job.messageId)).dueAt!;
    expect(await processJob(env, job, due, provider.fetch)).toEqual({ status: 'dead', reason: 'retries_exhausted' });
    const m = await row(job.messageId);
    expect(m).toMatchObject({ status: 'dead', reason: 'retries_exhausted', attempts: 2, leaseExpiresAt: null });
    expect(m.lastError).toContain('HTTP 502');
    // Dead is final: later jobs and scans do not call the provider again.
    expect(await processJob(env, job, at(due, 3_600_000), provider.fetch)).toEqual({ status: 'not_claimed' });
    expect(provider.sendsFor(job.messageId)).toBe(2);
    expect(provider.acceptedFor(job.messageId)).toBe(0);
    expect(env.queue.sent).toEqual([]);
    assertNothingLost(await rowsOf(s.shop.id, s.order.id));
  });

  it('a network error is transient', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 'network', 204);
    const env = dispatcherEnv();
    expect((await processJob(env, job, DAY, provider.fetch)).status).toBe('queued');
    const m = await row(job.messageId);
    expect(m).toMatchObject({ status: 'queued', attempts: 1 });
    expect(m.lastError).toContain('could not be reached');
    assertNothingLost([m]);
    expect((await processJob(env, job, m.dueAt!, provider.fetch)).status).toBe('delivered');
    expect(provider.acceptedFor(job.messageId)).toBe(1);
  });

  it('a provider that never answers times out as transient, and the retry sends once', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 'hang', 200);
    const env = dispatcherEnv();
    const outcome = await processJob(env, job, DAY, provider.fetch, { providerTimeoutMs: 50 });
    expect(outcome.status).toBe('queued');
    expect(provider.requests[0]!.outcome).toBe('aborted');
    const m = await row(job.messageId);
    expect(m).toMatchObject({ status: 'queued', attempts: 1, leaseExpiresAt: null });
    expect(m.lastError).toContain('could not be reached');
    assertNothingLost([m]);
    expect((await processJob(env, job, m.dueAt!, provider.fetch)).status).toBe('delivered');
    expect(provider.acceptedFor(job.messageId)).toBe(1);
  });
});
