/**
 * The one queue-consumer loop of every worker: each message is acked or retried on its own, never
 * the batch. A malformed job can never succeed, so it is logged and acked; a handler that throws
 * is retried after 30 s; a handler may ask for a later retry (a transient provider error).
 *
 * `concurrent` runs a batch's messages at once instead of one after another. Only for handlers
 * whose every write is conditional on a claim (the dispatcher): two jobs for the same row can then
 * race, and the loser finds nothing to claim.
 */
import type { z } from 'zod';

const MAX_DELAY_S = 12 * 3600;
const FAILURE_DELAY_S = 30;

export type JobResult = { retryInMs?: number } | void;

export async function consume<T>(
  batch: MessageBatch<unknown>,
  schema: z.ZodType<T>,
  label: string,
  handle: (job: T) => Promise<JobResult>,
  options: { concurrent?: boolean } = {},
): Promise<void> {
  const one = (message: Message<unknown>) => consumeOne(message, schema, label, handle);
  if (options.concurrent) {
    await Promise.all(batch.messages.map(one));
    return;
  }
  for (const message of batch.messages) await one(message);
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
      message.retry({ delaySeconds: Math.min(MAX_DELAY_S, Math.max(1, Math.ceil(result.retryInMs / 1000))) });
    } else {
      message.ack();
    }
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: `${label} job failed`, id: message.id, error: String(error) }));
    message.retry({ delaySeconds: FAILURE_DELAY_S });
  }
}
