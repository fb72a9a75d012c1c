/**
 * The thank-you worker: consumes `orderbell-thank-you` (one job per accepted
 * `order.paid`, acked or retried per message, never per batch) and plans the
 * thank_you message; every minute it sweeps armed orders the queue left behind.
 */
import { thankYouJobSchema, type ThankYouJob } from '../../shared/events/thank-you';
import { planThankYou, type ThankYouEnv } from './plan';
import { sweepDue } from './sweep';

export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      const job = thankYouJobSchema.safeParse(message.body);
      if (!job.success) {
        // A malformed job can never succeed: log it and let it go.
        console.error(JSON.stringify({ level: 'error', msg: 'malformed thank-you job', id: message.id }));
        message.ack();
        continue;
      }
      try {
        const outcome = await planThankYou(env, job.data);
        console.log(JSON.stringify({ level: 'info', msg: 'thank-you job', ...job.data, status: outcome.status }));
        message.ack();
      } catch (error) {
        console.error(
          JSON.stringify({ level: 'error', msg: 'thank-you job failed', ...job.data, error: String(error) }),
        );
        // The sweep also picks the order up once its trigger is a minute old.
        message.retry({ delaySeconds: 30 });
      }
    }
  },

  async scheduled(controller, env) {
    const result = await sweepDue(env, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: 'info', msg: 'thank-you sweep', ...result }));
  },
} satisfies ExportedHandler<ThankYouEnv, ThankYouJob>;
