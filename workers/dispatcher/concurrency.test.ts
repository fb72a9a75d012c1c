/**
 * At-least-once queues deliver the same job again, and two dispatchers can
 * hold it at once: the atomic claim lets exactly one of them call the provider.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOOK_URL, at, dispatcherEnv, plan, row, scene, webhookFirst } from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider } from '../../test/helpers/fake-provider';
import { countingD1, type Counted } from '../../test/helpers/d1-counter';
import { coalescing, direct, type RunStatements } from '../../shared/db/coalesce';
import { db, type Db } from '../../shared/db/client';
import { prepareJob, processJob } from './process';

afterEach(assertProvidersClean);

describe('redelivery and concurrent claims', () => {
  it('the same job processed twice in a row sends once', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, 200);
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'delivered' });
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'not_claimed' });
    expect(await processJob(env, job, at(DAY, 86_400_000), provider.fetch)).toEqual({ status: 'not_claimed' });
    expect(provider.sendsFor(job.messageId)).toBe(1);
    expect(await row(job.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('the same job delivered twice in one batch, processed concurrently, sends once', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    // A slow provider keeps the first call in flight while the duplicate arrives.
    const provider = fakeProvider(HOOK_URL, { status: 200, delayMs: 50 });
    const env = dispatcherEnv();
    const outcomes = await Promise.all([
      processJob(env, job, DAY, provider.fetch),
      processJob(env, job, DAY, provider.fetch),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['delivered', 'not_claimed']);
    expect(provider.sendsFor(job.messageId)).toBe(1);
    expect(await row(job.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('two dispatchers claiming the same message at once: exactly one provider call', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 200, delayMs: 50 });
    const [a, b] = [dispatcherEnv(), dispatcherEnv()];
    const outcomes = await Promise.all([
      processJob(a, job, DAY, provider.fetch),
      processJob(b, job, at(DAY, 1), provider.fetch),
    ]);
    expect(outcomes.filter((o) => o.status === 'delivered')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'not_claimed')).toHaveLength(1);
    expect(provider.requests).toHaveLength(1);
    expect(provider.maxAcceptedPerId()).toBe(1);
  });

  it('a redelivery racing a transient retry neither sends twice nor loses the message', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', DAY);
    const provider = fakeProvider(HOOK_URL, { status: 503, delayMs: 30 });
    const env = dispatcherEnv();
    const outcomes = await Promise.all([
      processJob(env, job, DAY, provider.fetch),
      processJob(env, job, DAY, provider.fetch),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['not_claimed', 'queued']);
    const m = await row(job.messageId);
    expect(m).toMatchObject({ status: 'queued', attempts: 1 });
    expect(m.lastError).toContain('HTTP 503');

    // Three copies of the job arrive when it is due: one send.
    provider.answer({ status: 200, delayMs: 30 });
    const retried = await Promise.all([1, 2, 3].map(() => processJob(env, job, m.dueAt!, provider.fetch)));
    expect(retried.map((o) => o.status).sort()).toEqual(['delivered', 'not_claimed', 'not_claimed']);
    expect(provider.acceptedFor(job.messageId)).toBe(1);
    expect(provider.sendsFor(job.messageId)).toBe(2);
  });

  it('many messages for one order go out concurrently, one send each', async () => {
    const s = await scene(webhookFirst());
    const jobs = await Promise.all(
      (['shipped', 'arrived_in_city', 'out_for_delivery', 'delivered'] as const).map((k) => plan(s, k, DAY)),
    );
    const provider = fakeProvider(HOOK_URL, ...jobs.flatMap(() => [{ status: 200, delayMs: 10 }]));
    const env = dispatcherEnv();
    await Promise.all(
      jobs.flatMap((j) => [processJob(env, j, DAY, provider.fetch), processJob(env, j, DAY, provider.fetch)]),
    );
    for (const j of jobs) expect(provider.acceptedFor(j.messageId)).toBe(1);
    expect(provider.requests).toHaveLength(jobs.length);
  });

  it("a batch's outcomes wait for company: answers a few ms apart are recorded in one round trip", async () => {
    const kinds = ['shipped', 'arrived_in_city', 'out_for_delivery'] as const;
    const sendApart = async (record?: (d: Db) => RunStatements) => {
      const s = await scene(webhookFirst());
      const jobs = await Promise.all(kinds.map((k) => plan(s, k, DAY)));
      const provider = fakeProvider(HOOK_URL, ...jobs.map(() => ({ status: 200 })));
      const env = dispatcherEnv();
      const prepared = await Promise.all(jobs.map((j) => prepareJob(env, j, DAY, provider.fetch)));
      const counts: Counted = { roundTrips: 0, statements: 0 };
      const counted = db(countingD1(env.DB, counts));
      const recordOutcome = record?.(counted) ?? direct(counted);
      const outcomes = [];
      for (const p of prepared) {
        if ('outcome' in p) throw new Error(`not cleared to send: ${JSON.stringify(p.outcome)}`);
        outcomes.push(p.send(direct(db(env.DB)), { record: recordOutcome }));
        await new Promise((r) => setTimeout(r, 5));
      }
      expect((await Promise.all(outcomes)).map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered']);
      for (const j of jobs) expect(await row(j.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
      return counts;
    };
    // Gathered for 200 ms: the three outcomes in one batch; each alone: three.
    expect(await sendApart((d) => coalescing(d, { gatherMs: 200 }))).toEqual({ roundTrips: 1, statements: 3 });
    expect(await sendApart()).toEqual({ roundTrips: 3, statements: 3 });
  });
});
