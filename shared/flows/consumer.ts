/**
 * The one queue-consumer loop of every worker: each message is acked or retried on its own, never
 * the batch. A malformed job can never succeed, so it is logged and acked; a handler that throws
 * is retried after 30 s; a handler may ask for a later retry (a transient provider error).
 *
 * `concurrent` runs a batch's messages at once instead of one after another. Only for handlers
 * whose every write is conditional on a claim (the dispatcher): two jobs for the same row can then
 * race, and the loser finds nothing to claim. `concurrent` as a function names each job's lane
 * (the flows: its order): lanes run at once, the jobs of one lane in the batch's order, so one
 * order's events are still planned in the order they arrived.
 */
import type { z } from 'zod';
import { coalescedQueue } from '../queues/coalesced-queue';
import { flowJobSchema, type FlowJob } from '../events/flow-job';
import { inLanes, orderLane } from './lanes';
import { flowBinding } from './merges';
import type { Flow } from './names';

const MAX_DELAY_S = 12 * 3600;
const FAILURE_DELAY_S = 30;

export type JobResult = { retryInMs?: number } | void;

/** A retry's delay as a queue takes it: whole seconds, at least 1, at most the queues' 12 hours. */
export const retryDelaySeconds = (retryInMs: number): number =>
  Math.min(MAX_DELAY_S, Math.max(1, Math.ceil(retryInMs / 1000)));

export async function consume<T>(
  batch: MessageBatch<unknown>,
  schema: z.ZodType<T>,
  label: string,
  handle: (job: T) => Promise<JobResult>,
  options: { concurrent?: boolean | ((job: T) => string) } = {},
): Promise<void> {
  const one = (message: Message<unknown>) => consumeOne(message, schema, label, handle);
  const { concurrent } = options;
  if (concurrent === true) {
    await Promise.all(batch.messages.map(one));
    return;
  }
  if (!concurrent) {
    for (const message of batch.messages) await one(message);
    return;
  }
  const laneOf = (message: Message<unknown>) => {
    const job = schema.safeParse(message.body);
    // A malformed job gets a lane of its own; consumeOne logs and acks it.
    return job.success ? `job:${concurrent(job.data)}` : `malformed:${message.id}`;
  };
  // consumeOne never throws: each job is acked or retried on its own.
  await inLanes(batch.messages, laneOf, batch.messages.length, one);
}

async function consumeOne<T>(
  message: Message<unknown>,
  schema: z.ZodType<T>,
  label: string,
  handle: (job: T) => Promise<JobResult>,
): Promise<void> {
  const job = schema.safeParse(message.body);
  if (!job.success) {
    console.error(JSON.stringify({ level: 'error', msg: `malformed ${label} job`, id: message.id }));
    message.ack();
    return;
  }
  try {
    const result = await handle(job.data);
    if (result?.retryInMs !== undefined) {
      message.retry({ delaySeconds: retryDelaySeconds(result.retryInMs) });
    } else {
      message.ack();
    }
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: `${label} job failed`, id: message.id, error: String(error) }));
    message.retry({ delaySeconds: FAILURE_DELAY_S });
  }
}

/**
 * A flow worker's queue handler: the batch's orders are planned at once, one lane per order, on a
 * binding whose queries from the lanes share D1 round trips (shared/db/coalesced-d1.ts).
 */
export async function consumeFlowJobs<E extends { DB: D1Database }>(
  batch: MessageBatch<unknown>,
  env: E,
  flow: Flow,
  run: (env: E, job: FlowJob) => Promise<{ status: string }>,
): Promise<void> {
  const shared = { ...env, DB: flowBinding(env.DB) };
  // The lanes' dispatch jobs leave together too (every flow worker binds the dispatch queue).
  if ('DISPATCH' in env) Object.assign(shared, { DISPATCH: coalescedQueue(env.DISPATCH as Queue) });
  await consume(
    batch,
    flowJobSchema,
    flow,
    async (job) => {
      const outcome = await run(shared, job);
      console.log(JSON.stringify({ level: 'info', msg: `${flow} trigger`, ...job, status: outcome.status }));
    },
    { concurrent: orderLane },
  );
}
