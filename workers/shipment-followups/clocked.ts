/**
 * The shipment-followups flow as functions of the clock: one trigger job (the queue consumer) and the minute pass
 * (the cron: triggers the queue left behind, then due timers). The worker's handlers and the
 * simulator call these same functions.
 */
import type { DispatchJob } from '../../shared/delivery/plan';
import type { ClockedFlow } from '../../shared/flows/runner';
import { runTrigger, sweepTriggers } from '../../shared/flows/triggers';
import { runPass } from './pass';
import { shipmentHandler, type ShipmentEnv } from './triggers';

type Env = ShipmentEnv;
const FLOW = 'shipment-followups';
const handler = (env: Env) => shipmentHandler(env.DISPATCH as Queue<DispatchJob>);

export const clocked: ClockedFlow<Env> = {
  trigger: (env, key, now) => runTrigger(env, key, handler(env), now),
  async tick(env, now, shopId) {
    const sweep = await sweepTriggers(env, FLOW, handler(env), now, { shopId });
    return { sweep, ...(await runPass(env, now, shopId)) };
  },
};
