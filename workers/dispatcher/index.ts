/**
 * The dispatcher worker: consumes the dispatch queue through the shared consumer (ack or retry per
 * message, never per batch) and, every minute, reaps expired leases, queues due messages and sends
 * the tracking subscriptions owed (./subscriptions.ts).
 *
 * A batch's jobs are claimed at once, their claims sharing D1 round trips. A job the policy ends is
 * acked with its outcome recorded. A job cleared to send is acked once claimed: from then its row,
 * `sending` under a lease, carries it. In `waitUntil` it waits for a place in the isolate's send
 * window (./window.ts), sends and records the outcome; the batch returns once few enough claimed
 * jobs wait, so the next batch is claimed while sends are in flight (the worker's
 * `queue_consumer_no_wait_for_wait_until` flag lets the queue move on without them). A transient
 * failure is retried by queueing the job again after the backoff; should that fail, the due scan
 * queues the rescheduled row. A send that dies before its outcome is recorded leaves a `sending`
 * row, which the reaper resolves.
 */
import { db } from '../../shared/db/client';
import { coalescing, type RunStatements } from '../../shared/db/coalesce';
import { dispatchJobSchema, type DispatchJob } from '../../shared/delivery/plan';
import { consume, retryDelaySeconds } from '../../shared/flows/consumer';
import { batchClaims } from './claim';
import { enqueueDue } from './due-scan';
import { prepareJob, type DispatcherEnv, type Prepared } from './process';
import { reapExpiredLeases } from './reaper';
import { runSubscriptions } from './subscriptions';
import { SendWindow, backlogAtMost, waitingLine, windowSize, type Place } from './window';

/**
 * How long a send's outcome waits for other outcomes of its queue batch before going to D1. The
 * send's place in the window was given back when the provider answered, so the wait delays only the
 * row's final status; answers come a few milliseconds apart, and one write carries several.
 */
const OUTCOME_GATHER_MS = 20;

/** One window per isolate: its sends in flight span queue batches. */
let sendWindow: SendWindow | undefined;

/** The isolate's window; a changed size starts a new one (sends in the old one return their places there). */
function windowOf(env: DispatcherEnv): SendWindow {
  const size = windowSize(env.SEND_WINDOW);
  if (sendWindow?.size !== size) sendWindow = new SendWindow(size);
  return sendWindow;
}

export default {
  async queue(batch, env, ctx) {
    const window = windowOf(env);
    const place = waitingLine(window);
    const d = db(env.DB);
    // Every write of a job is conditional on its claim, so a batch's jobs may overlap. They claim
    // together: one round trip of a few statements, with one read of each shop (./claim.ts). The
    // writes that end jobs after the policy share round trips (shared/db/coalesce.ts); so do provider
    // notes asked for in the same turn (no job joins that one: a send never waits for another's
    // answer), and outcomes within OUTCOME_GATHER_MS of each other.
    const claim = batchClaims(d);
    const endings = coalescing(d);
    const notes = coalescing(d);
    const outcomes = coalescing(d, { gatherMs: OUTCOME_GATHER_MS });
    await consume(
      batch,
      dispatchJobSchema,
      'dispatch',
      async (job) => {
        const { run, leave } = endings.participant();
        const prepared = await prepareJob(env, job, new Date(), fetch, { run: () => run, claim }).finally(leave);
        if ('outcome' in prepared) return prepared.outcome;
        ctx.waitUntil(place().then((held) => sendInWindow(env, job, prepared, { notes, outcomes }, window, held)));
      },
      { concurrent: true },
    );
    await backlogAtMost(window, batch.messages.length);
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

/** A claimed job's send, holding its place in the window until the providers answered. */
async function sendInWindow(
  env: DispatcherEnv,
  job: DispatchJob,
  prepared: Extract<Prepared, { send: unknown }>,
  runs: { notes: RunStatements; outcomes: RunStatements },
  window: SendWindow,
  place: Place,
): Promise<void> {
  // The place is given back once the providers answered: recording the outcome needs no provider.
  const answered = () => {
    if (place.state !== 'left') window.leave(place);
  };
  try {
    const outcome = await prepared.send(runs.notes, { at: new Date(), answered, record: runs.outcomes });
    if (outcome.retryInMs !== undefined) await retryLater(env, job, outcome.retryInMs);
  } catch (error) {
    const fields = { shopId: job.shopId, messageId: job.messageId, error: String(error) };
    console.error(
      JSON.stringify({ level: 'error', msg: 'send not recorded; the lease reaper resolves it', ...fields }),
    );
  } finally {
    answered();
  }
}

/** Queues a transiently failed job again after its backoff; its row, rescheduled, is the durable record. */
async function retryLater(env: DispatcherEnv, job: DispatchJob, retryInMs: number): Promise<void> {
  try {
    await (env.DISPATCH as Queue<DispatchJob>).send(job, { delaySeconds: retryDelaySeconds(retryInMs) });
  } catch (error) {
    const fields = { shopId: job.shopId, messageId: job.messageId, error: String(error) };
    console.warn(JSON.stringify({ level: 'warn', msg: 'retry not queued; the due scan queues it', ...fields }));
  }
}
