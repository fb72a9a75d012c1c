import { describe, expect, it } from 'vitest';
import { coalescedQueue } from './coalesced-queue';

/** A producer that records each call, and can refuse batches or one body. */
function recording(opts: { refuseBatches?: boolean; refuse?: string } = {}) {
  const calls: string[][] = [];
  const ok = { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
  const queue = {
    async send(body: string) {
      calls.push([`send ${body}`]);
      if (body === opts.refuse) throw new Error(`refused ${body}`);
      return ok;
    },
    async sendBatch(messages: Iterable<MessageSendRequest<string>>) {
      const bodies = [...messages].map((m) => m.body);
      calls.push(bodies);
      if (opts.refuseBatches) throw new Error('batch refused');
      return ok;
    },
    metrics: async () => ok.metadata.metrics,
  } as unknown as Queue<string>;
  return { queue, calls };
}

describe('coalescedQueue', () => {
  it('sends what is asked for in one turn as one sendBatch, and a lone send as a send', async () => {
    const { queue, calls } = recording();
    const q = coalescedQueue(queue);
    await Promise.all(['a', 'b', 'c'].map((b) => q.send(b)));
    await q.send('d');
    expect(calls).toEqual([['a', 'b', 'c'], ['send d']]);
  });

  it('splits more than 100 sends into calls of at most 100', async () => {
    const { queue, calls } = recording();
    const q = coalescedQueue(queue);
    await Promise.all(Array.from({ length: 201 }, (_, i) => q.send(`m${i}`)));
    expect(calls.map((c) => c.length)).toEqual([100, 100, 1]);
  });

  it('after a refused batch, sends each alone: only the bad one fails', async () => {
    const { queue, calls } = recording({ refuseBatches: true, refuse: 'b' });
    const q = coalescedQueue(queue);
    const results = await Promise.allSettled(['a', 'b', 'c'].map((b) => q.send(b)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['a', 'b', 'c'], ['send a'], ['send b'], ['send c']]);
  });
});
