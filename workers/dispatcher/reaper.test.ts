/**
 * A crash after the provider accepted but before the outcome was recorded:
 * the row stays `sending` until its lease runs out, and the reaper resolves it
 * by lookup where the provider has one, never by sending again.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCredentials, webhook } from '../../shared/channels';
import { db } from '../../shared/db/client';
import { claim, LEASE_MS, noteProvider } from '../../shared/delivery/outbox';
import { isTransactional } from '../../shared/templates/kinds';
import {
  DAY,
  HOOK_SECRET,
  HOOK_URL,
  at,
  dispatcherEnv,
  plan,
  recordingQueue,
  row,
  scene,
  webhookFirst,
} from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider, noNetwork } from '../../test/helpers/fake-provider';
import { enqueueDue } from './due-scan';
import { processJob } from './process';
import { reapExpiredLeases } from './reaper';

afterEach(assertProvidersClean);

describe('the lease reaper', () => {
  it('local: the lookup finds the message delivered, and nothing is sent again', async () => {
    const s = await scene({}, { webhook: false });
    const job = await plan(s, 'shipped', DAY);
    const claimed = await claim(db(env.DB), s.shop.id, job.messageId, DAY);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    await noteProvider(db(env.DB), claimed!, 'local', DAY);
    // ...the worker dies here, before markSent.

    const net = noNetwork();
    // The lease is still live: the reaper leaves the row alone.
    await reapExpiredLeases(db(env.DB), env.ENCRYPTION_KEY, at(DAY, LEASE_MS - 1), net.fetch);
    expect((await row(job.messageId)).status).toBe('sending');
    // A redelivered job cannot take a leased row either.
    expect(await processJob(dispatcherEnv(), job, at(DAY, 1000), net.fetch)).toEqual({ status: 'not_claimed' });

    const later = at(DAY, LEASE_MS + 1);
    const counts = await reapExpiredLeases(db(env.DB), env.ENCRYPTION_KEY, later, net.fetch);
    expect(counts.delivered).toBeGreaterThanOrEqual(1);
    expect(await row(job.messageId)).toMatchObject({
      status: 'delivered',
      provider: 'local',
      providerMessageId: `local_${job.messageId}`,
      attempts: 1,
      leaseExpiresAt: null,
    });
    expect(await processJob(dispatcherEnv(), job, at(later, 1000), net.fetch)).toEqual({ status: 'not_claimed' });
  });

  it('webhook (no lookup): dead with lease_expired_unknown, and the provider is not called again', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const claimed = (await claim(db(env.DB), s.shop.id, job.messageId, DAY))!;
    await noteProvider(db(env.DB), claimed, 'webhook', DAY);
    // The provider accepts the send...
    const provider = fakeProvider(HOOK_URL, 200);
    const credentials = parseCredentials('webhook', { url: HOOK_URL, secret: HOOK_SECRET });
    const sent = await webhook.send(
      {
        id: claimed.id,
        shopId: claimed.shopId,
        orderId: claimed.orderId,
        kind: 'shipped',
        transactional: isTransactional('shipped'),
        channel: 'webhook',
        recipient: claimed.recipient,
        rendered: claimed.rendered!,
        data: claimed.data ?? {},
      },
      credentials,
      { fetch: provider.fetch, now: () => DAY },
    );
    expect(sent.providerMessageId).toBe(job.messageId);
    expect(provider.acceptedFor(job.messageId)).toBe(1);
    // ...and the worker dies before recording it.

    const later = at(DAY, LEASE_MS + 1);
    await reapExpiredLeases(db(env.DB), env.ENCRYPTION_KEY, later, provider.fetch);
    const m = await row(job.messageId);
    expect(m).toMatchObject({
      status: 'dead',
      reason: 'lease_expired_unknown',
      provider: 'webhook',
      leaseExpiresAt: null,
    });
    expect(m.lastError).toContain('lease expired');

    // Neither a redelivered job, the due scan nor another reaper pass sends it again.
    const queue = recordingQueue();
    await enqueueDue(db(env.DB), queue, at(later, 3_600_000));
    expect(queue.sent.map((j) => j.body.messageId)).not.toContain(job.messageId);
    expect(await processJob(dispatcherEnv(), job, at(later, 1000), provider.fetch)).toEqual({ status: 'not_claimed' });
    await reapExpiredLeases(db(env.DB), env.ENCRYPTION_KEY, at(later, LEASE_MS * 10), provider.fetch);
    expect((await row(job.messageId)).status).toBe('dead');
    expect(provider.sendsFor(job.messageId)).toBe(1);
  });

  it('queues a claimed row again when no provider was ever called, never resolving it as sent', async () => {
    const s = await scene({}, { webhook: false });
    const job = await plan(s, 'shipped', DAY);
    await claim(db(env.DB), s.shop.id, job.messageId, DAY);
    // Died before noteProvider: nothing can have gone out, so the message may safely go again.
    const reapedAt = at(DAY, LEASE_MS + 1);
    await reapExpiredLeases(db(env.DB), env.ENCRYPTION_KEY, reapedAt, noNetwork().fetch);
    expect(await row(job.messageId)).toMatchObject({
      status: 'queued',
      providerMessageId: null,
      lastError: 'lease expired before any provider call',
    });
    expect((await row(job.messageId)).dueAt!.getTime()).toBe(reapedAt.getTime());
  });
});

describe('the due scan', () => {
  it('queues a retry once it is due (after the grace for in-flight queue messages), not before', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 500);
    await processJob(dispatcherEnv(), job, DAY, provider.fetch);
    const due = (await row(job.messageId)).dueAt!;
    const ids = async (now: Date) => {
      const queue = recordingQueue();
      await enqueueDue(db(env.DB), queue, now);
      return queue.sent.map((j) => j.body.messageId);
    };
    expect(await ids(due)).not.toContain(job.messageId);
    expect(await ids(at(due, 60_001))).toContain(job.messageId);
  });
});
