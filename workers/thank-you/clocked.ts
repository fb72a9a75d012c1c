/**
 * The thank-you flow as functions of the clock: one trigger job (the queue consumer) and the minute
 * sweep of triggers the queue left behind. The worker's handlers and the simulator call these.
 */
import type { ClockedFlow } from '../../shared/flows/runner';
import { planThankYou, type ThankYouEnv } from './plan';
import { sweepDue } from './sweep';

export const clocked: ClockedFlow<ThankYouEnv> = {
  trigger: (env, key, now) => planThankYou(env, key, now),
  async tick(env, now, shopId) {
    return { ...(await sweepDue(env, now, undefined, shopId)) };
  },
};
