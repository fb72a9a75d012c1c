/**
 * The unpaid-reminders flow as functions of the clock: one trigger job (the queue consumer) and the
 * minute pass (the cron: triggers the queue left behind, then due reminders). The worker's handlers
 * and the simulator call these same functions.
 */
import type { ClockedFlow } from '../../shared/flows/runner';
import { runTrigger, sweepTriggers } from '../../shared/flows/triggers';
import { runPass, type PassEnv } from './pass';
import { handleTrigger } from './triggers';

export const clocked: ClockedFlow<PassEnv> = {
  trigger: (env, key, now) => runTrigger(env, key, handleTrigger, now),
  async tick(env, now, shopId) {
    const sweep = await sweepTriggers(env, 'unpaid-reminders', handleTrigger, now, { shopId });
    return { sweep, ...(await runPass(env, now, shopId)) };
  },
};
