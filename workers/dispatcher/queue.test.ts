/**
 * The worker's own queue and scheduled handlers, on the real clock: ack or
 * retry per message (never per batch), malformed jobs dropped, and the cron
 * pass that reaps expired leases and queues due rows onto the real queue.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../shared/db/client';
import type { Message } from '../../shared/db/schema';
import { claim, noteProvider } from '../../shared/delivery/outbox';
import type { DispatchJob } from '../../shared/delivery/plan';
import {
  HOOK_URL,
  MIN,
  at,
  dispatcherEnv,
  plan,
  row,
  scene,
  setOrderState,
  webhookFirst,
} from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider, noNetwork } from '../../test/helpers/fake-provider';
import worker from './index';

afterEach(() => {
  vi.unstubAllGlobals();
  assertProvidersClean();
});

const QUEUE = 'orderbell-dispatch';
let seq = 0;
const entry = (body: unknown) => ({ id: `qm-${++seq}`, timestamp: new Date(), attempts: 1, body });

/**
 * Runs one batch through the worker's queue handler, with DISPATCH recording what it queues.
 * `handled` settles when the handler returns (the queue's next batch may come); `result` once its
 * sends have run on in waitUntil too.
 */
function startBatch(bodies: unknown[], bindings = dispatcherEnv()) {
  const messages = bodies.map(entry);
  const batch = createMessageBatch<DispatchJob>(QUEUE, messages as never);
  // getQueueResult reports which messages were retried but not the delay asked for: record it here.
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options?: QueueRetryOptions) => {
      delays.set(m.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  const handled = worker.queue(batch, bindings, ctx);
  const result = handled.then(() => getQueueResult(batch, ctx));
  return { ids: messages.map((m) => m.id), delays, queued: bindings.queue.sent, handled, result };
}

async function runBatch(bodies: unknown[], bindings = dispatcherEnv()) {
  const run = startBatch(bodies, bindings);
  return { ...run, result: await run.result };
}

async function waitForStatus(id: string, statuses: string[], timeoutMs = 8000): Promise<Message> {
  const started = Date.now();
  for (;;) {
    const m = await row(id);
    if (statuses.includes(m.status)) return m;
    if (Date.now() - started > timeoutMs) throw new Error(`message ${id} stayed ${m.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the queue handler', () => {
  it('acks malformed jobs instead of retrying them', async () => {
    const { ids, result } = await runBatch([{ nope: true }, 'text', null, { shopId: 1, messageId: 'x' }]);
    expect(result.retryMessages).toEqual([]);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.ackAll).toBe(false);
    expect([...result.explicitAcks].sort()).toEqual([...ids].sort());
  });

  it('queues again, after the backoff, only the message whose provider failed transiently', async () => {
    const failing = await scene(webhookFirst());
    const failingJob = await plan(failing, 'shipped', new Date());
    const fine = await scene({}, { webhook: false });
    const fineJob = await plan(fine, 'shipped', new Date());
    // The handler uses the global fetch: the fake answers the webhook, and refuses anything else.
    const provider = fakeProvider(HOOK_URL, 503);
    vi.stubGlobal('fetch', provider.fetch);

    const { ids, delays, queued, result } = await runBatch([failingJob, fineJob, { bogus: 1 }, fineJob]);
    expect(result.retryBatch.retry).toBe(false);
    // Each message is acked once its send started (the row carries it from there); the redelivered
    // duplicate of the fine job is acked without a second send.
    expect(result.retryMessages).toEqual([]);
    expect(delays.size).toBe(0);
    expect([...result.explicitAcks].sort()).toEqual([...ids].sort());
    // The failed send is queued again alone, after the backoff (15-30 s) in whole seconds, matching the row's due time.
    expect(queued.map((q) => q.body)).toEqual([failingJob]);
    const delay = queued[0]!.delaySeconds!;
    expect(delay).toBeGreaterThanOrEqual(15);
    expect(delay).toBeLessThanOrEqual(30);

    const retried = await row(failingJob.messageId);
    expect(retried).toMatchObject({ status: 'queued', attempts: 1 });
    expect(retried.lastError).toContain('HTTP 503');
    expect(Math.abs(retried.dueAt!.getTime() - (Date.now() + delay * 1000))).toBeLessThan(10_000);
    expect(await row(fineJob.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(provider.sendsFor(failingJob.messageId)).toBe(1);
  });

  it("sends a batch's messages concurrently, each once, even with every job delivered twice", async () => {
    const s = await scene(webhookFirst());
    const kinds = ['shipped', 'arrived_in_city', 'out_for_delivery', 'delivered'] as const;
    const jobs = await Promise.all(kinds.map((k) => plan(s, k, new Date())));
    const provider = fakeProvider(HOOK_URL, ...jobs.map(() => ({ status: 200, delayMs: 200 })));
    vi.stubGlobal('fetch', provider.fetch);

    const { result } = await runBatch([...jobs, ...jobs]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(jobs.length * 2);
    // One after another, the provider would never see two sends at once.
    expect(provider.maxInFlight).toBe(jobs.length);
    for (const j of jobs) {
      expect(provider.sendsFor(j.messageId)).toBe(1);
      expect(await row(j.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
    }
  });

  it('acks a batch once its jobs are claimed; the sends and their outcomes run on after it', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', new Date());
    const provider = fakeProvider(HOOK_URL, { status: 200, delayMs: 300 });
    vi.stubGlobal('fetch', provider.fetch);

    const run = startBatch([job]);
    await run.handled;
    // The handler returned before the provider answered, the row claimed under its lease.
    expect(provider.acceptedFor(job.messageId)).toBe(0);
    expect(await row(job.messageId)).toMatchObject({ status: 'sending', attempts: 1 });
    const result = await run.result;
    expect(result.explicitAcks).toEqual(run.ids);
    expect(await row(job.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it("returns once its jobs are claimed: the policy's verdicts are written after it, together", async () => {
    const s = await scene(webhookFirst(), { order: { state: 'created' } });
    const jobs = [
      await plan(s, 'unpaid_reminder', new Date(), { expectsOrderState: 'created' }),
      await plan(s, 'preclose_reminder', new Date(), { expectsOrderState: 'created' }),
    ];
    await setOrderState(s.order, 'paid');
    vi.stubGlobal('fetch', noNetwork().fetch);
    // D1 round trips after the first (the claim) wait for the gate.
    const trips: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const DB = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch')
          return async (items: D1PreparedStatement[]) => {
            trips.push(items.length);
            if (trips.length > 1) await gate;
            return target.batch(items);
          };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const run = startBatch(jobs, { ...dispatcherEnv(), DB });
    await run.handled;
    for (const j of jobs) expect(await row(j.messageId)).toMatchObject({ status: 'sending', attempts: 1 });
    open();
    const result = await run.result;
    expect(result.explicitAcks).toEqual(run.ids);
    for (const j of jobs) expect(await row(j.messageId)).toMatchObject({ status: 'cancelled', reason: 'paid' });
    // The claim (with its reads), then both verdicts in one round trip.
    expect(trips).toEqual([4, 2]);
  });

  it('keeps at most SEND_WINDOW sends in flight across batches; a batch returns only once few claimed jobs wait', async () => {
    const s = await scene(webhookFirst());
    const jobs = await Promise.all(
      (['shipped', 'arrived_in_city', 'out_for_delivery'] as const).map((k) => plan(s, k, new Date())),
    );
    const provider = fakeProvider(HOOK_URL, ...jobs.map(() => ({ status: 200, delayMs: 600 })));
    vi.stubGlobal('fetch', provider.fetch);
    const bindings = () => ({ ...dispatcherEnv(), SEND_WINDOW: '1' as never });

    // One place: the first batch's job takes it; the second's waits, claimed, and its batch returns
    // (one job waiting is within a batch of one); the third batch's handler waits for the backlog.
    const [a, b] = [startBatch([jobs[0]], bindings()), startBatch([jobs[1]], bindings())];
    await Promise.all([a.handled, b.handled]);
    const c = startBatch([jobs[2]], bindings());
    let cHandled = false;
    void c.handled.then(() => (cHandled = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(provider.requests.map((r) => r.id)).toEqual([jobs[0]!.messageId]);
    expect(cHandled).toBe(false);
    expect(await row(jobs[1]!.messageId)).toMatchObject({ status: 'sending' });
    expect(await row(jobs[2]!.messageId)).toMatchObject({ status: 'sending' });

    // The first answer frees the place for the second job, which lets the third batch return.
    await c.handled;
    expect(provider.acceptedFor(jobs[0]!.messageId)).toBe(1);
    await Promise.all([a.result, b.result, c.result]);
    expect(provider.maxInFlight).toBe(1);
    // Batches look for free places on their own timers, so the second and third may go in either order.
    expect(provider.requests.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.messageId).sort());
    for (const j of jobs) expect(await row(j.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it("writes a send's provider note before it waits for a place, so a place is held only by a call", async () => {
    const s = await scene(webhookFirst());
    const jobs = await Promise.all((['shipped', 'arrived_in_city'] as const).map((k) => plan(s, k, new Date())));
    const provider = fakeProvider(HOOK_URL, ...jobs.map(() => ({ status: 200, delayMs: 400 })));
    vi.stubGlobal('fetch', provider.fetch);

    // One place: one job calls while the other waits for the place, its note already written.
    const run = startBatch(jobs, { ...dispatcherEnv(), SEND_WINDOW: '1' as never });
    for (let waited = 0; provider.requests.length === 0 && waited < 5_000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const rows = await Promise.all(jobs.map((j) => row(j.messageId)));
    expect(provider.requests).toHaveLength(1);
    expect(rows.map((r) => [r.status, r.provider])).toEqual([
      ['sending', 'webhook'],
      ['sending', 'webhook'],
    ]);
    await run.result;
    expect(provider.maxInFlight).toBe(1);
    for (const j of jobs) expect(await row(j.messageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('a message that is not due (a deferred or early job) is acked and left for the due scan', async () => {
    const s = await scene({}, { webhook: false });
    const job = await plan(s, 'shipped', new Date(), { dueAt: at(new Date(), 60 * MIN) });
    vi.stubGlobal('fetch', noNetwork().fetch);
    const { ids, result } = await runBatch([job]);
    expect(result.explicitAcks).toEqual(ids);
    expect(await row(job.messageId)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});

describe('the scheduled handler', () => {
  it('reaps expired leases and queues due rows onto the real queue, which delivers them', async () => {
    const now = new Date();
    const s = await scene(webhookFirst({ default_route: ['sms', 'email'] }));
    // A local send whose worker died 10 minutes ago after noting the provider.
    const crashedLocal = await plan(s, 'shipped', at(now, -10 * MIN));
    await noteProvider(
      db(env.DB),
      (await claim(db(env.DB), s.shop.id, crashedLocal.messageId, at(now, -10 * MIN)))!,
      'local',
      now,
    );
    // A webhook send in the same state: the webhook cannot be asked.
    const hook = await scene(webhookFirst());
    const crashedHook = await plan(hook, 'shipped', at(now, -10 * MIN));
    await noteProvider(
      db(env.DB),
      (await claim(db(env.DB), hook.shop.id, crashedHook.messageId, at(now, -10 * MIN)))!,
      'webhook',
      now,
    );
    // A row whose queue message was lost 5 minutes ago, and one due in an hour.
    const lost = await plan(s, 'delivered', at(now, -5 * MIN));
    const later = await plan(s, 'out_for_delivery', now, { dueAt: at(now, 60 * MIN) });

    vi.stubGlobal('fetch', noNetwork().fetch);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '* * * * *' }), env);

    expect(await row(crashedLocal.messageId)).toMatchObject({ status: 'delivered', attempts: 1, provider: 'local' });
    expect(await row(crashedHook.messageId)).toMatchObject({ status: 'dead', reason: 'lease_expired_unknown' });
    const delivered = await waitForStatus(lost.messageId, ['delivered', 'failed', 'dead', 'skipped', 'cancelled']);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, provider: 'local' });
    expect(await row(later.messageId)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
