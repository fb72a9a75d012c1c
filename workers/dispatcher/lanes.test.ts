/**
 * The dispatcher's two lanes (./lanes.ts): a scheduled batch claims nothing while an event batch is
 * in the isolate's hands, yields for a bounded time only, and retries a failed send on its own lane.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchJob } from '../../shared/delivery/plan';
import { HOOK_URL, dispatcherEnv, plan, recordingQueue, row, scene, webhookFirst } from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider } from '../../test/helpers/fake-provider';
import worker from './index';
import { EventLane, QUIET_MS, SCHEDULED_QUEUE, laneOf } from './lanes';

afterEach(() => {
  vi.unstubAllGlobals();
  assertProvidersClean();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
let seq = 0;

function run(queue: string, jobs: DispatchJob[], bindings: ReturnType<typeof dispatcherEnv>) {
  const batch = createMessageBatch<DispatchJob>(
    queue,
    jobs.map((body) => ({ id: `lane-${++seq}`, timestamp: new Date(), attempts: 1, body })) as never,
  );
  const ctx = createExecutionContext();
  const handled = worker.queue(batch, bindings, ctx).then(() => performance.now());
  return { handled, result: handled.then(() => getQueueResult(batch, ctx)) };
}

describe('the event lane', () => {
  it('names the scheduled queue and takes every other queue for the event lane', () => {
    expect(laneOf(SCHEDULED_QUEUE)).toBe('scheduled');
    expect(laneOf('orderbell-dispatch')).toBe('event');
    expect(laneOf('dispatch')).toBe('event');
  });

  it('holds a scheduled batch while an event batch runs, and lets it go once that one is done', async () => {
    const lane = new EventLane();
    let finish!: () => void;
    const running = lane.run(() => new Promise<void>((resolve) => (finish = resolve)));
    let yielded = false;
    const waiting = lane.yieldTo().then(() => (yielded = true));
    for (let i = 0; i < 20; i++) await tick();
    expect(yielded).toBe(false);
    expect(lane.busy()).toBe(true);
    finish();
    await running;
    // Just done: still busy for QUIET_MS, then idle.
    expect(lane.busy()).toBe(true);
    expect(lane.busy(lane.lastSeen + QUIET_MS)).toBe(false);
    await waiting;
    expect(yielded).toBe(true);
    expect(lane.active).toBe(0);
  });

  it('counts a batch that throws as done', async () => {
    const lane = new EventLane();
    await expect(lane.run(() => Promise.reject(new Error('D1 down')))).rejects.toThrow('D1 down');
    expect(lane.active).toBe(0);
  });

  it('yields for a bounded time only, so the scheduled lane always moves', async () => {
    const lane = new EventLane();
    let finish!: () => void;
    const running = lane.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await lane.yieldTo({ maxMs: 20, pollMs: 1 });
    expect(lane.busy()).toBe(true);
    finish();
    await running;
  });
});

describe('the two lanes through the queue handler', () => {
  it('a scheduled batch claims after the event batch running beside it has returned', async () => {
    const s = await scene(webhookFirst());
    const now = new Date();
    const urgent = await plan(s, 'shipped', now);
    const later = await plan(s, 'delivered', now);
    const provider = fakeProvider(HOOK_URL, { status: 200, delayMs: 100 }, { status: 200 });
    vi.stubGlobal('fetch', provider.fetch);
    const bindings = dispatcherEnv();

    const event = run('orderbell-dispatch', [urgent], bindings);
    const scheduled = run(SCHEDULED_QUEUE, [later], bindings);
    const eventReturned = await event.handled;
    await Promise.all([event.result, scheduled.result]);

    const [u, l] = [await row(urgent.messageId), await row(later.messageId)];
    expect(u).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(l).toMatchObject({ status: 'delivered', attempts: 1 });
    // Started together, both batches would claim within a millisecond or two; the scheduled one
    // waited for the event batch to return and then for the lane to stay quiet.
    expect(l.claimedAt!.getTime() - u.claimedAt!.getTime()).toBeGreaterThanOrEqual(QUIET_MS / 2);
    expect(await scheduled.handled).toBeGreaterThanOrEqual(eventReturned);
  });

  it('retries a transient failure on the lane it came from', async () => {
    const s = await scene(webhookFirst());
    const job = await plan(s, 'shipped', new Date());
    vi.stubGlobal('fetch', fakeProvider(HOOK_URL, 503).fetch);
    const event = recordingQueue();
    const scheduledLane = recordingQueue();
    const bindings = { ...dispatcherEnv(event), DISPATCH_SCHEDULED: scheduledLane as Queue };

    const { result } = run(SCHEDULED_QUEUE, [job], bindings);
    expect((await result).retryMessages).toEqual([]);
    expect(scheduledLane.sent.map((q) => q.body)).toEqual([job]);
    expect(event.sent).toEqual([]);
    expect(await row(job.messageId)).toMatchObject({ status: 'queued', attempts: 1 });
  });
});
