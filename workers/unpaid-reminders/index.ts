/**
 * The unpaid-reminders worker: a cron pass every minute, and `run()` over a
 * service binding for the gateway's `POST /v1/runs/unpaid-reminders`.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { FlowRunner } from '../../shared/flows/runner';
import { runPass, type PassCounts } from './pass';

type RemindersEnv = Cloudflare.UnpaidRemindersEnv;

/** RPC entrypoint the gateway binds to: one pass now, for one shop. */
export class Runs extends WorkerEntrypoint<RemindersEnv> implements FlowRunner {
  async run(shopId: string): Promise<PassCounts> {
    const counts = await runPass(this.env, new Date(), shopId);
    console.log(JSON.stringify({ level: 'info', msg: 'unpaid-reminders manual pass', shopId, ...counts }));
    return counts;
  }
}

export default {
  async scheduled(controller, env) {
    const counts = await runPass(env, new Date(controller.scheduledTime));
    console.log(JSON.stringify({ level: 'info', msg: 'unpaid-reminders pass', ...counts }));
  },
} satisfies ExportedHandler<RemindersEnv>;
