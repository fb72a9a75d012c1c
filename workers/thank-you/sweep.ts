/**
 * The safety net behind the queue: every minute, thank-you triggers armed more
 * than a minute ago and still not run (a lost queue send, a job that ran out of
 * retries) are run here, through the one timer sweep every flow shares.
 */
import type { DispatchJob } from '../../shared/delivery/plan';
import { sweepTriggers, type SweepResult } from '../../shared/flows/triggers';
import { thankYouHandler, type ThankYouEnv } from './plan';

export async function sweepDue(
  env: ThankYouEnv,
  now: Date,
  queue: Queue<DispatchJob> | undefined = env.DISPATCH as Queue<DispatchJob>,
  shopId?: string,
): Promise<SweepResult> {
  return sweepTriggers(env, 'thank-you', thankYouHandler(queue), now, { shopId });
}
