/**
 * Fallback within a channel (the next provider when one is down) and across
 * channels (the next channel when the buyer has no address there, or the
 * provider refuses), with the reason recorded on the message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOOK_URL, dispatcherEnv, plan, row, rowsOf, scene, withFallback } from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider } from '../../test/helpers/fake-provider';
import { processJob } from './process';

afterEach(assertProvidersClean);

/** The webhook channel first, with `local` as its second provider. */
const twoProviders = { default_route: ['webhook', 'email'], providers: { webhook: ['webhook', 'local'] } };

describe('provider fallback within a channel', () => {
  it('webhook answering 503 is passed over: delivered through local, the first attempt recorded', async () => {
    const s = await scene(twoProviders);
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 503, body: 'maintenance' });
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    const m = await row(job.messageId);
    expect(m).toMatchObject({
      status: 'delivered',
      channel: 'webhook',
      provider: 'local',
      providerMessageId: `local_${job.messageId}`,
      attempts: 1,
    });
    expect(m.fallbackReason).toBe('provider_down:webhook');
    expect(provider.sendsFor(job.messageId)).toBe(1);
    expect(provider.acceptedFor(job.messageId)).toBe(0);
    // No channel fallback: the message went out on its own channel.
    expect(env.queue.sent).toEqual([]);
    expect(await rowsOf(s.shop.id, s.order.id)).toHaveLength(1);
  });

  it('a provider without credentials is passed over, and that is recorded too', async () => {
    const s = await scene(twoProviders, { webhook: false });
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL);
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(await row(job.messageId)).toMatchObject({ provider: 'local', fallbackReason: 'no_credentials:webhook' });
  });

  it('429 (throttled, not down) is retried on the same provider, not passed to the next', async () => {
    const s = await scene(twoProviders);
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 429, headers: { 'retry-after': '5' } });
    expect((await processJob(dispatcherEnv(), job, DAY, provider.fetch)).status).toBe('queued');
    expect(await row(job.messageId)).toMatchObject({ status: 'queued', provider: 'webhook', providerMessageId: null });
  });

  it('a provider that refuses (400) is final for the channel: no second provider, the next channel instead', async () => {
    const s = await scene(twoProviders);
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 400);
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'failed', reason: 'provider_rejected' });
    const [failed, next] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(failed).toMatchObject({ status: 'failed', provider: 'webhook', providerMessageId: null });
    expect(next).toMatchObject({ channel: 'email', status: 'queued', fallbackReason: 'provider_rejected:webhook' });
  });

  it('every provider of the channel down: a transient failure of the message, retried later', async () => {
    const s = await scene({ default_route: ['webhook', 'email'], providers: { webhook: ['webhook'] } });
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 503);
    const outcome = await processJob(dispatcherEnv(), job, DAY, provider.fetch);
    expect(outcome.status).toBe('queued');
    expect((await row(job.messageId)).lastError).toContain('HTTP 503');
  });
});

describe('channel fallback', () => {
  it('no address on the first channel: planned on the next, with the reason', async () => {
    const s = await scene({ default_route: ['sms', 'email'] }, { webhook: false, buyer: { phone: null } });
    const job = await plan(s, 'shipped', DAY);
    expect(await row(job.messageId)).toMatchObject({
      channel: 'email',
      recipient: 'xiaoming@example.com',
      fallbackReason: 'no_address:sms',
    });
    expect(await processJob(dispatcherEnv(), job, DAY, fakeProvider(HOOK_URL).fetch)).toEqual({ status: 'delivered' });
  });

  it('a channel fallback that then passes over a provider keeps both reasons', async () => {
    const s = await scene(
      { default_route: ['sms', 'webhook'], providers: { webhook: ['webhook', 'local'] } },
      { buyer: { phone: null } },
    );
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 502);
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(await row(job.messageId)).toMatchObject({
      channel: 'webhook',
      provider: 'local',
      fallbackReason: 'no_address:sms;provider_down:webhook',
    });
  });
});
