/**
 * The dispatcher worker: consumes the dispatch queue through the shared
 * consumer (ack or retry per message, never per batch; a batch's messages concurrently, their D1
 * writes coalesced) and,
 * every minute, reaps expired leases, queues due messages and sends the tracking subscriptions
 * owed (./subscriptions.ts).
 */
import { db } from '../../shared/db/client';
import { coalescing } from '../../shared/db/coalesce';
import { dispatchJobSchema, type DispatchJob } from '../../shared/delivery/plan';
import { consume } from '../../shared/flows/consumer';
import { sharedShopReads } from './claim';
import { enqueueDue } from './due-scan';
import { processJob, type DispatcherEnv } from './process';
import { reapExpiredLeases } from './reaper';
import { runSubscriptions } from './subscriptions';

export default {
  async queue(batch, env) {
    // Every write of a job is conditional on its claim, so a batch's sends may overlap, and their
    // claims, provider notes and outcomes share D1 round trips (shared/db/coalesce.ts).
    // Each job joins the coalescer, so a round goes to D1 once every running job waits for it.
    const d = db(env.DB);
    const coalescer = coalescing(d);
    // The batch's jobs of one shop share one read of the shop and its credentials (./claim.ts).
    const shopReads = sharedShopReads(d, coalescer);
    await consume(
      batch,
      dispatchJobSchema,
      'dispatch',
      (job) => {
        const { run, leave } = coalescer.participant();
        return processJob(env, job, new Date(), fetch, { run: () => run, shopReads }).finally(leave);
      },
      {
        concurrent: true,
      },
    );
  },
  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime);
    const d = db(env.DB);
    const reaped = await reapExpiredLeases(d, env.ENCRYPTION_KEY, now);
    const queued = await enqueueDue(d, env.DISPATCH as Queue<DispatchJob>, now);
    const subscriptions = await runSubscriptions(env, now);
    console.log(JSON.stringify({ level: 'info', msg: 'dispatcher pass', reaped, queued, subscriptions }));
  },
} satisfies ExportedHandler<DispatcherEnv, DispatchJob>;
