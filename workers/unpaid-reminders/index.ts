/**
 * The unpaid-reminders worker: its event triggers from the
 * `orderbell-unpaid-reminders` queue, a cron pass every minute (the triggers
 * the queue left behind, then the due reminders), and `Runs` over a service
 * binding for the gateway's `POST /v1/runs/unpaid-reminders` and for
 * rescheduling after a settings change.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { consumeFlowJobs } from '../../shared/flows/consumer';
import type { FlowRunner } from '../../shared/flows/runner';
import { sweepTriggers } from '../../shared/flows/triggers';
import { clocked } from './clocked';
import { runPass, type PassCounts } from './pass';
import { rescheduleReminders } from './reschedule';
import { handleTrigger } from './triggers';

type RemindersEnv = Cloudflare.UnpaidRemindersEnv;

/** RPC entrypoint the gateway binds to: one pass now, for one shop. */
export class Runs extends WorkerEntrypoint<RemindersEnv> implements FlowRunner {
  async run(shopId: string): Promise<PassCounts> {
    const now = new Date();
    // A manual pass first runs the shop's triggers still waiting, however recent.
    await sweepTriggers(this.env, 'unpaid-reminders', handleTrigger, now, { graceMs: 0, shopId });
    const counts = await runPass(this.env, now, shopId);
    console.log(JSON.stringify({ level: 'info', msg: 'unpaid-reminders manual pass', shopId, ...counts }));
    return counts;
  }

  async reschedule(shopId: string): Promise<number> {
    return rescheduleReminders(this.env, shopId);
  }
}

export default {
  async queue(batch, env) {
    await consumeFlowJobs(batch, env, 'unpaid-reminders', (shared, job) => clocked.trigger(shared, job, new Date()));
  },
  async scheduled(controller, env) {
    const result = await clocked.tick(env, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: 'info', msg: 'unpaid-reminders pass', ...result }));
  },
} satisfies ExportedHandler<RemindersEnv>;
