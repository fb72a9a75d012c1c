import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { consume } from './consumer';

const job = z.object({ order: z.string(), n: z.number() });
type Job = z.infer<typeof job>;

let seq = 0;
const batchOf = (bodies: unknown[]) =>
  createMessageBatch<unknown>(
    'test-lanes',
    bodies.map((body) => ({ id: `m-${++seq}`, timestamp: new Date(), attempts: 1, body })) as never,
  );
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('consume with lanes', () => {
  it("runs lanes at once and one lane's jobs in the batch's order", async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const handle = async ({ order, n }: Job) => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${order}${n}`);
      await tick();
      log.push(`end ${order}${n}`);
      running--;
    };
    const bodies = [
      { order: 'A', n: 1 },
      { order: 'B', n: 1 },
      { order: 'A', n: 2 },
      { order: 'C', n: 1 },
      { order: 'A', n: 3 },
    ];
    const batch = batchOf(bodies);
    await consume(batch, job, 'test', handle, { concurrent: (j) => j.order });
    expect(most).toBe(3);
    const a = log.filter((l) => l.includes('A'));
    expect(a).toEqual(['start A1', 'end A1', 'start A2', 'end A2', 'start A3', 'end A3']);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toHaveLength(5);
  });

  it('acks a malformed job and retries only the job whose handler threw', async () => {
    const batch = batchOf([{ order: 'A', n: 1 }, { nope: true }, { order: 'A', n: 2 }, { order: 'B', n: 1 }]);
    const seen: string[] = [];
    await consume(
      batch,
      job,
      'test',
      async ({ order, n }) => {
        seen.push(`${order}${n}`);
        if (order === 'A' && n === 1) throw new Error('boom');
      },
      { concurrent: (j) => j.order },
    );
    // A failed job does not stop its lane: the next job of the order still runs.
    expect(seen.sort()).toEqual(['A1', 'A2', 'B1']);
    const result = await getQueueResult(batch, createExecutionContext());
    const [a1, malformed, a2, b1] = batch.messages.map((m) => m.id);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([a1]);
    expect([...result.explicitAcks].sort()).toEqual([malformed, a2, b1].sort());
  });
});
