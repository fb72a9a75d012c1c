/**
 * The dispatcher worker: consumes the dispatch queue (ack or retry per
 * message, never per batch) and, every minute, reaps expired leases and queues
 * due messages.
 */
import { db } from '../../shared/db/client';
import { dispatchJobSchema, type DispatchJob } from '../../shared/delivery/plan';
import { enqueueDue } from './due-scan';
import { processJob, type DispatcherEnv } from './process';
import { reapExpiredLeases } from './reaper';

const MAX_DELAY_S = 12 * 3600;

export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      const job = dispatchJobSchema.safeParse(message.body);
      if (!job.success) {
        // A malformed job can never succeed: log it and let it go.
        console.error(JSON.stringify({ level: 'error', msg: 'malformed dispatch job', id: message.id }));
        message.ack();
        continue;
      }
      try {
        const outcome = await processJob(env, job.data);
        if (outcome.retryInMs !== undefined) {
          message.retry({ delaySeconds: Math.min(MAX_DELAY_S, Math.max(1, Math.ceil(outcome.retryInMs / 1000))) });
        } else {
          message.ack();
        }
      } catch (error) {
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'dispatch failed',
            messageId: job.data.messageId,
            error: String(error),
          }),
        );
        message.retry({ delaySeconds: 30 });
      }
    }
  },

  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime);
    const d = db(env.DB);
    const reaped = await reapExpiredLeases(d, env.ENCRYPTION_KEY, now);
    const queued = await enqueueDue(d, env.DISPATCH as Queue<DispatchJob>, now);
    console.log(JSON.stringify({ level: 'info', msg: 'dispatcher pass', reaped, queued }));
  },
} satisfies ExportedHandler<DispatcherEnv, DispatchJob>;
