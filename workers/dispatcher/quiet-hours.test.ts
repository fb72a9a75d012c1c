/**
 * Quiet hours (21:00-08:00 in the shop's time zone) at claim: a message is
 * deferred to the end of the window, not dropped, without using an attempt,
 * including across the end of US daylight saving time on 2026-11-01.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import type { MessageKind } from '../../shared/templates/kinds';
import { at, dispatcherEnv, plan, recordingQueue, row, scene } from '../../test/helpers/dispatch';
import { assertProvidersClean, noNetwork } from '../../test/helpers/fake-provider';
import { enqueueDue } from './due-scan';
import { processJob } from './process';

afterEach(assertProvidersClean);

const deferred = { status: 'queued', reason: 'quiet_hours_deferred' };

async function deferredScene(timezone: string, kind: MessageKind, now: Date, delivery: Record<string, unknown> = {}) {
  const s = await scene(delivery, { webhook: false, shop: { timezone } });
  return plan(s, kind, now);
}

/** Processes at `now` and expects a deferral to `until` that consumed no attempt. */
async function expectDeferred(job: { shopId: string; messageId: string }, now: Date, until: string) {
  expect(await processJob(dispatcherEnv(), job, now, noNetwork().fetch)).toEqual(deferred);
  const m = await row(job.messageId);
  expect(m).toMatchObject({ status: 'queued', reason: 'quiet_hours_deferred', attempts: 0, lastError: null });
  expect(m.leaseExpiresAt).toBeNull();
  expect(m.dueAt!.toISOString()).toBe(until);
  return m;
}

describe('quiet hours in Asia/Shanghai (UTC+8, no DST)', () => {
  it('22:00 is deferred to 08:00 the next morning and sent then', async () => {
    const now = new Date('2026-11-01T14:00:00Z'); // 22:00 CST
    const job = await deferredScene('Asia/Shanghai', 'review_request', now);
    const m = await expectDeferred(job, now, '2026-11-02T00:00:00.000Z');

    // The queue message was acked; the due scan queues the row again once the window has ended.
    const queue = recordingQueue();
    await enqueueDue(db(env.DB), queue, at(m.dueAt!, 61_000));
    expect(queue.sent.map((j) => j.body.messageId)).toContain(job.messageId);

    expect(await processJob(dispatcherEnv(), job, at(m.dueAt!, -1), noNetwork().fetch)).toEqual({
      status: 'not_claimed',
    });
    expect(await processJob(dispatcherEnv(), job, m.dueAt!, noNetwork().fetch)).toEqual({ status: 'delivered' });
    expect(await row(job.messageId)).toMatchObject({ status: 'delivered', attempts: 1, provider: 'local' });
  });

  it('03:30 is deferred to 08:00 the same morning', async () => {
    const now = new Date('2026-11-01T19:30:00Z'); // 03:30 CST on 11-02
    const job = await deferredScene('Asia/Shanghai', 'review_request', now);
    await expectDeferred(job, now, '2026-11-02T00:00:00.000Z');
  });

  it('20:59 and 08:00 are outside the window', async () => {
    for (const now of [new Date('2026-11-01T12:59:00Z'), new Date('2026-11-02T00:00:00Z')]) {
      const job = await deferredScene('Asia/Shanghai', 'review_request', now);
      expect(await processJob(dispatcherEnv(), job, now, noNetwork().fetch)).toEqual({ status: 'delivered' });
    }
  });
});

describe('quiet hours in America/New_York across the end of DST (2026-11-01 02:00 EDT -> 01:00 EST)', () => {
  it('22:00 EDT on Oct 31 is deferred to 08:00 EST (13:00Z, not 12:00Z) on Nov 1', async () => {
    const now = new Date('2026-11-01T02:00:00Z'); // 22:00 EDT, Oct 31
    const job = await deferredScene('America/New_York', 'review_request', now);
    await expectDeferred(job, now, '2026-11-01T13:00:00.000Z');

    // Not before the window ends.
    expect(await processJob(dispatcherEnv(), job, new Date('2026-11-01T12:59:59Z'), noNetwork().fetch)).toEqual({
      status: 'not_claimed',
    });
    const end = new Date('2026-11-01T13:00:00Z');
    expect(await processJob(dispatcherEnv(), job, end, noNetwork().fetch)).toEqual({ status: 'delivered' });
    expect(await row(job.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('07:30 EST (12:30Z, which would be 08:30 under the summer offset) is still quiet', async () => {
    const now = new Date('2026-11-01T12:30:00Z');
    const job = await deferredScene('America/New_York', 'review_request', now);
    await expectDeferred(job, now, '2026-11-01T13:00:00.000Z');
  });

  it('01:30 (the repeated hour) is quiet, and the window still ends at 08:00 EST', async () => {
    const now = new Date('2026-11-01T06:30:00Z'); // 01:30 EST, the second 01:30 of the night
    const job = await deferredScene('America/New_York', 'review_request', now);
    await expectDeferred(job, now, '2026-11-01T13:00:00.000Z');
  });

  it('21:30 EST on Nov 1 is deferred to 08:00 EST on Nov 2', async () => {
    const now = new Date('2026-11-02T02:30:00Z');
    const job = await deferredScene('America/New_York', 'review_request', now);
    await expectDeferred(job, now, '2026-11-02T13:00:00.000Z');
  });

  it('20:59 EDT on Oct 31 is sent at once', async () => {
    const now = new Date('2026-11-01T00:59:00Z');
    const job = await deferredScene('America/New_York', 'review_request', now);
    expect(await processJob(dispatcherEnv(), job, now, noNetwork().fetch)).toEqual({ status: 'delivered' });
  });
});

describe('transactional kinds in quiet hours follow the shop setting', () => {
  const now = new Date('2026-11-01T14:00:00Z'); // 22:00 in Shanghai

  it("'send' (the default): sent at once", async () => {
    const job = await deferredScene('Asia/Shanghai', 'shipped', now);
    expect(await processJob(dispatcherEnv(), job, now, noNetwork().fetch)).toEqual({ status: 'delivered' });
  });

  it("'defer': deferred to the end of the window like a promotional one", async () => {
    const job = await deferredScene('Asia/Shanghai', 'shipped', now, { transactional_quiet_hours: 'defer' });
    await expectDeferred(job, now, '2026-11-02T00:00:00.000Z');
  });

  it("promotional kinds are deferred even when transactional ones are set to 'send'", async () => {
    const job = await deferredScene('Asia/Shanghai', 'unpaid_reminder', now, { transactional_quiet_hours: 'send' });
    await expectDeferred(job, now, '2026-11-02T00:00:00.000Z');
  });
});
