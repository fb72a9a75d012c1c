/**
 * Send-by deadlines at claim (docs/MESSAGE-CLASSES.md): a message past its deadline is skipped `expired`
 * and never reaches a provider; a quiet-hours deferral or a retry that would carry it past the deadline
 * skips it at once instead of waiting; a manual retry of an expired message is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  at,
  dispatcherEnv,
  DAY,
  HOOK_URL,
  HOUR,
  MIN,
  plan,
  row,
  scene,
  webhookFirst,
} from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider, noNetwork } from '../../test/helpers/fake-provider';
import { processJob } from './process';

afterEach(assertProvidersClean);

describe('send-by deadlines', () => {
  it('a reminder claimed after its deadline is skipped (expired); no provider is called', async () => {
    const s = await scene({}, { webhook: false, order: { state: 'created' } });
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created', sendBy: at(DAY, 30 * MIN) });
    const late = at(DAY, 30 * MIN);
    expect(await processJob(dispatcherEnv(), job, late, noNetwork().fetch)).toEqual({
      status: 'skipped',
      reason: 'expired',
    });
    expect(await row(job.messageId)).toMatchObject({ status: 'skipped', reason: 'expired', leaseExpiresAt: null });
  });

  it('one minute before its deadline it is sent', async () => {
    const s = await scene({}, { webhook: false, order: { state: 'created' } });
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created', sendBy: at(DAY, 30 * MIN) });
    expect(await processJob(dispatcherEnv(), job, at(DAY, 29 * MIN), noNetwork().fetch)).toEqual({
      status: 'delivered',
    });
  });

  it('a quiet-hours deferral that would pass the deadline skips it at once', async () => {
    // 20:50 in Shanghai, quiet from 21:00 to 08:00: a cutoff of 21:30 would be long gone by the morning.
    const now = new Date('2026-03-02T12:50:00Z');
    const s = await scene({}, { webhook: false, order: { state: 'created' }, shop: { timezone: 'Asia/Shanghai' } });
    const job = await plan(s, 'unpaid_reminder', now, {
      expectsOrderState: 'created',
      sendBy: new Date('2026-03-02T13:30:00Z'),
    });
    const inQuiet = new Date('2026-03-02T13:05:00Z'); // 21:05, before the deadline but inside quiet hours
    expect(await processJob(dispatcherEnv(), job, inQuiet, noNetwork().fetch)).toEqual({
      status: 'skipped',
      reason: 'expired',
    });
    expect(await row(job.messageId)).toMatchObject({ status: 'skipped', reason: 'expired', attempts: 1 });
  });

  it('a quiet-hours deferral that ends before the deadline still waits', async () => {
    const now = new Date('2026-03-02T13:05:00Z'); // 21:05 in Shanghai
    const s = await scene({}, { webhook: false, order: { state: 'created' }, shop: { timezone: 'Asia/Shanghai' } });
    const job = await plan(s, 'preclose_reminder', now, {
      expectsOrderState: 'created',
      sendBy: new Date('2026-03-03T04:00:00Z'), // noon the next day
    });
    expect(await processJob(dispatcherEnv(), job, now, noNetwork().fetch)).toEqual({
      status: 'queued',
      reason: 'quiet_hours_deferred',
    });
    expect((await row(job.messageId)).dueAt!.toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('a transient failure whose retry would pass the deadline ends expired, with the error kept', async () => {
    const s = await scene(webhookFirst(), { order: { state: 'created' } });
    const provider = fakeProvider(HOOK_URL, 503);
    // The first retry waits at least 15 s; the deadline is 10 s away.
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created', sendBy: at(DAY, 10_000) });
    expect(await processJob(dispatcherEnv(), job, DAY, provider.fetch)).toEqual({
      status: 'skipped',
      reason: 'expired',
    });
    const m = await row(job.messageId);
    expect(m).toMatchObject({ status: 'skipped', reason: 'expired' });
    expect(m.lastError).toContain('503');
    expect(provider.sendsFor(job.messageId)).toBe(1);
  });

  it('a transient failure well before the deadline is retried as before', async () => {
    const s = await scene(webhookFirst(), { order: { state: 'created' } });
    const provider = fakeProvider(HOOK_URL, 503);
    const job = await plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created', sendBy: at(DAY, 2 * HOUR) });
    const outcome = await processJob(dispatcherEnv(), job, DAY, provider.fetch);
    expect(outcome.status).toBe('queued');
    expect(outcome.retryInMs).toBeGreaterThan(0);
    expect(await row(job.messageId)).toMatchObject({ status: 'queued', reason: null });
  });

  it('a message planned after its deadline is recorded as skipped (expired), never queued', async () => {
    const s = await scene({}, { webhook: false, order: { state: 'created' } });
    await expect(
      plan(s, 'unpaid_reminder', DAY, { expectsOrderState: 'created', sendBy: at(DAY, -MIN) }),
    ).rejects.toThrow(/"status":"skipped","reason":"expired"/);
  });
});
