/**
 * The review-requests worker: its event triggers from the `orderbell-review-requests` queue
 * (delivery updates, completion, refunds, cases and reviews), a cron pass every minute (triggers
 * the queue left behind, then the due request, reminder and grouped-alert timers), and `Runs` for
 * the gateway's `POST /v1/runs/review-requests`.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { DispatchJob } from '../../shared/delivery/plan';
import { consumeFlowJobs } from '../../shared/flows/consumer';
import type { FlowRunner, RunCounts } from '../../shared/flows/runner';
import { sweepTriggers } from '../../shared/flows/triggers';
import { clocked } from './clocked';
import { runPass } from './pass';
import { reviewHandler } from './triggers';

type Env = Cloudflare.ReviewRequestsEnv;
const FLOW = 'review-requests';
const handler = (env: Env) => reviewHandler(env.DISPATCH as Queue<DispatchJob>);

export class Runs extends WorkerEntrypoint<Env> implements FlowRunner {
  async run(shopId: string): Promise<RunCounts> {
    const now = new Date();
    await sweepTriggers(this.env, FLOW, handler(this.env), now, { graceMs: 0, shopId });
    const counts = await runPass(this.env, now, shopId);
    console.log(JSON.stringify({ level: 'info', msg: 'review-requests manual pass', shopId, ...counts }));
    return counts;
  }
}

export default {
  async queue(batch, env) {
    await consumeFlowJobs(batch, env, FLOW, (shared, job) => clocked.trigger(shared, job, new Date()));
  },
  async scheduled(controller, env) {
    const result = await clocked.tick(env, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: 'info', msg: 'review-requests pass', ...result }));
  },
} satisfies ExportedHandler<Env>;
