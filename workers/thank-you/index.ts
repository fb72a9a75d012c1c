/**
 * The thank-you worker: consumes `orderbell-thank-you` (one job per armed
 * `on:order.paid` trigger, acked or retried per message by the shared consumer)
 * and plans the thank_you message; every minute it sweeps the triggers the
 * queue left behind.
 */
import type { FlowJob } from '../../shared/events/flow-job';
import { consumeFlowJobs } from '../../shared/flows/consumer';
import { clocked } from './clocked';
import { THANK_YOU_TRIGGER, type ThankYouEnv } from './plan';

export default {
  async queue(batch, env) {
    await consumeFlowJobs(batch, env, 'thank-you', (shared, job) =>
      clocked.trigger(shared, { ...job, flow: 'thank-you', step: THANK_YOU_TRIGGER }, new Date()),
    );
  },
  async scheduled(controller, env) {
    const result = await clocked.tick(env, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: 'info', msg: 'thank-you sweep', ...result }));
  },
} satisfies ExportedHandler<ThankYouEnv, FlowJob>;
