/**
 * Wakes the flows an accepted event armed, each on the queue the registry names. Never fails the
 * webhook: the trigger rows are already written, and each flow's sweep runs what a queue lost.
 */
import type { FlowJob } from '../../../shared/events/flow-job';
import { flows } from '../../../shared/flows/registry';
import type { TimerKey } from '../../../shared/flows/timers';

export async function notifyFlows(env: Cloudflare.GatewayEnv, triggers: TimerKey[]): Promise<void> {
  await Promise.all(
    triggers.map(async (key) => {
      try {
        await (env[flows[key.flow].queue] as Queue<FlowJob>).send(key satisfies FlowJob);
      } catch (error) {
        const { flow, shopId, orderId, step } = key;
        const fields = { flow, shopId, orderId, step, error: String(error) };
        console.warn(JSON.stringify({ level: 'warn', msg: 'flow notify failed; its sweep will run it', ...fields }));
      }
    }),
  );
}
