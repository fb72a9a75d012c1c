import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlowJob } from '../../../shared/events/flow-job';
import type { FlowQueue } from '../../../shared/flows/registry';
import type { TimerKey } from '../../../shared/flows/timers';
import { FLUSH_AFTER_MS, LOST_AFTER_MS, notifyFlows } from './notify';

/** The gateway's flow queues as producers that record each call (and can refuse every batch). */
function recordingQueues(opts: { refuse?: boolean } = {}) {
  const calls: { queue: FlowQueue; bodies: FlowJob[] }[] = [];
  const queue = (name: FlowQueue) =>
    ({
      async send() {
        throw new Error('the intake sends batches only');
      },
      async sendBatch(messages: Iterable<MessageSendRequest<FlowJob>>) {
        calls.push({ queue: name, bodies: [...messages].map((m) => m.body) });
        if (opts.refuse) throw new Error('queue unavailable');
      },
    }) as unknown as Queue<FlowJob>;
  const env = {
    UNPAID_REMINDERS_QUEUE: queue('UNPAID_REMINDERS_QUEUE'),
    THANK_YOU_QUEUE: queue('THANK_YOU_QUEUE'),
    SHIPMENT_FOLLOWUPS_QUEUE: queue('SHIPMENT_FOLLOWUPS_QUEUE'),
    REVIEW_REQUESTS_QUEUE: queue('REVIEW_REQUESTS_QUEUE'),
  };
  return { env, calls };
}

/** One request's execution context: what it registered with waitUntil. */
function requestCtx() {
  const registered: Promise<unknown>[] = [];
  return { waitUntil: (p: Promise<unknown>) => void registered.push(p), registered };
}

const created = (orderId: string): TimerKey => ({
  shopId: 'shop_n',
  flow: 'unpaid-reminders',
  orderId,
  step: 'on:order.created',
});
const paid = (orderId: string): TimerKey[] => [
  { shopId: 'shop_n', flow: 'unpaid-reminders', orderId, step: 'on:order.paid' },
  { shopId: 'shop_n', flow: 'thank-you', orderId, step: 'on:order.paid' },
];

afterEach(() => vi.restoreAllMocks());

describe('notifyFlows', () => {
  it("sends the triggers of requests answered within a few ms as one sendBatch per queue, from the first request's waitUntil", async () => {
    const { env, calls } = recordingQueues();
    const [a, b, c] = [requestCtx(), requestCtx(), requestCtx()];
    notifyFlows(a, env, [created('o-1')]);
    notifyFlows(b, env, paid('o-2'));
    notifyFlows(c, env, [created('o-3')]);
    // Only the first registered a flush; the others' keys wait for it, and nothing left yet.
    expect([a.registered.length, b.registered.length, c.registered.length]).toEqual([1, 0, 0]);
    expect(calls).toEqual([]);
    await Promise.all(a.registered);
    expect(calls).toEqual([
      { queue: 'UNPAID_REMINDERS_QUEUE', bodies: [created('o-1'), paid('o-2')[0], created('o-3')] },
      { queue: 'THANK_YOU_QUEUE', bodies: [paid('o-2')[1]] },
    ]);
  });

  it('gives a request after a flush took the waiting keys a flush of its own', async () => {
    const { env, calls } = recordingQueues();
    const first = requestCtx();
    notifyFlows(first, env, [created('o-4')]);
    await Promise.all(first.registered);
    const second = requestCtx();
    notifyFlows(second, env, [created('o-5')]);
    expect(second.registered).toHaveLength(1);
    await Promise.all(second.registered);
    expect(calls.map((c) => c.bodies.map((b) => b.orderId))).toEqual([['o-4'], ['o-5']]);
  });

  it('waits no longer than the flush delay (the flows learn of an event within 50 ms)', async () => {
    const { env, calls } = recordingQueues();
    const ctx = requestCtx();
    const started = performance.now();
    notifyFlows(ctx, env, [created('o-6')]);
    await Promise.all(ctx.registered);
    expect(calls).toHaveLength(1);
    expect(FLUSH_AFTER_MS).toBeLessThanOrEqual(50);
    // workerd's clock moves on I/O only; the timer itself is the I/O here, so this is the wait.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('registers a new flush when the pending one is a second overdue (its request torn down), and sends each key once', async () => {
    const { env, calls } = recordingQueues();
    const [a, b, c] = [requestCtx(), requestCtx(), requestCtx()];
    const now = Date.now();
    notifyFlows(a, env, [created('o-lost-1')], now);
    notifyFlows(b, env, [created('o-lost-2')], now + FLUSH_AFTER_MS + LOST_AFTER_MS - 1);
    notifyFlows(c, env, [created('o-lost-3')], now + FLUSH_AFTER_MS + LOST_AFTER_MS + 1);
    expect([a.registered.length, b.registered.length, c.registered.length]).toEqual([1, 0, 1]);
    await Promise.all([...a.registered, ...c.registered]);
    // The first flush to fire takes every waiting key; the other finds nothing and sends nothing.
    expect(calls).toEqual([
      { queue: 'UNPAID_REMINDERS_QUEUE', bodies: [created('o-lost-1'), created('o-lost-2'), created('o-lost-3')] },
    ]);
  });

  it('splits more than 100 waiting triggers of one queue into calls of at most 100', async () => {
    const { env, calls } = recordingQueues();
    const ctxs = Array.from({ length: 201 }, () => requestCtx());
    ctxs.forEach((ctx, i) => notifyFlows(ctx, env, [created(`o-many-${i}`)]));
    await Promise.all(ctxs.flatMap((ctx) => ctx.registered));
    expect(calls.map((c) => c.bodies.length)).toEqual([100, 100, 1]);
    expect(calls.flatMap((c) => c.bodies.map((b) => b.orderId))).toEqual(ctxs.map((_, i) => `o-many-${i}`));
  });

  it('registers nothing for an event that armed no flow', () => {
    const { env, calls } = recordingQueues();
    const ctx = requestCtx();
    notifyFlows(ctx, env, []);
    expect(ctx.registered).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("logs each trigger of a refused batch for its flow's sweep, and never fails the request's waitUntil", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { env, calls } = recordingQueues({ refuse: true });
    const [a, b] = [requestCtx(), requestCtx()];
    notifyFlows(a, env, [created('o-7')]);
    notifyFlows(b, env, paid('o-8'));
    const settled = await Promise.allSettled(a.registered);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled']);
    expect(calls).toHaveLength(2);
    const logged = warn.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'flow notify failed; its sweep will run it', orderId: 'o-7' }),
        expect.objectContaining({ flow: 'unpaid-reminders', orderId: 'o-8', error: 'Error: queue unavailable' }),
        expect.objectContaining({ flow: 'thank-you', orderId: 'o-8', step: 'on:order.paid' }),
      ]),
    );
    expect(logged).toHaveLength(3);
    // The next request is not held back by the refused batch: it gets a flush of its own.
    const next = requestCtx();
    notifyFlows(next, env, [created('o-9')]);
    expect(next.registered).toHaveLength(1);
    await Promise.allSettled(next.registered);
  });
});
