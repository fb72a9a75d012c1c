/**
 * The dispatcher worker: consumes the dispatch queue through the shared consumer (ack or retry per
 * message, never per batch) and, every minute, reaps expired leases, queues due messages and sends
 * the tracking subscriptions owed (./subscriptions.ts).
 *
 * A batch's jobs are claimed at once, their claims sharing one D1 round trip, and each job is acked
 * once claimed: from then its row, `sending` under a lease, carries it. In `waitUntil` the send-time
 * policy decides (reading what the claim read, so mostly without a round trip of its own); a job it
 * ends has its outcome recorded, one cleared to send writes its provider note, then waits for a place
 * in the isolate's send window (./window.ts), calls and records the outcome. The batch returns once
 * few enough claimed jobs wait for a verdict, a note or a place, so the next batch is claimed while
 * this one's policy writes and sends are on their way (the worker's
 * `queue_consumer_no_wait_for_wait_until` flag lets the queue move on without them): a batch costs
 * the queue one round trip, not three. A transient failure is
 * retried by queueing the job again after the backoff; should that fail, the due scan queues the
 * rescheduled row. A job that dies before its outcome is recorded leaves a `sending` row, which the
 * reaper resolves (requeued when no provider was noted).
 */
import { db } from '../../shared/db/client';
import { coalescing, type Participant, type RunStatements } from '../../shared/db/coalesce';
import { coalescedD1 } from '../../shared/db/coalesced-d1';
import { sendMerges } from '../../shared/delivery/outbox';
import { dispatchJobSchema, type DispatchJob } from '../../shared/delivery/plan';
import { consume, retryDelaySeconds } from '../../shared/flows/consumer';
import { batchClaims, type Claimed } from './claim';
import { enqueueDue } from './due-scan';
import { prepareClaimed, type DispatcherEnv, type Prepared } from './process';
import { reapExpiredLeases } from './reaper';
import { runSubscriptions } from './subscriptions';
import { EventLane, laneOf, type Lane } from './lanes';
import { SendWindow, backlogAtMost, waitingLine, windowSize, type Place, type WaitingLine } from './window';

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

/** This isolate's event-lane batches: a scheduled batch yields to them (./lanes.ts). */
const eventLane = new EventLane();

export default {
  async queue(batch, liveEnv, ctx) {
    const lane = laneOf(batch.queue);
    if (lane === 'event') return eventLane.run(() => dispatchBatch(batch, liveEnv, ctx, lane));
    await eventLane.yieldTo();
    return dispatchBatch(batch, liveEnv, ctx, lane);
  },
  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime);
    const d = db(env.DB);
    const reaped = await reapExpiredLeases(d, env.ENCRYPTION_KEY, now);
    // Due messages go on the scheduled lane: after quiet hours they may be thousands at once.
    const queued = await enqueueDue(d, env.DISPATCH_SCHEDULED as Queue<DispatchJob>, now);
    const subscriptions = await runSubscriptions(env, now);
    console.log(JSON.stringify({ level: 'info', msg: 'dispatcher pass', reaped, queued, subscriptions }));
  },
} satisfies ExportedHandler<DispatcherEnv, DispatchJob>;

async function dispatchBatch(
  batch: MessageBatch<DispatchJob>,
  liveEnv: DispatcherEnv,
  ctx: ExecutionContext,
  lane: Lane,
): Promise<void> {
  // The batch's D1 calls made in one turn share a round trip, its sends' provider notes and
  // outcomes one statement each (shared/delivery/outbox.ts sendMerges). One binding per queue
  // batch: a call is answered in the request that asked for it.
  const env = { ...liveEnv, DB: coalescedD1(liveEnv.DB, { merges: sendMerges }) };
  const window = windowOf(env);
  const line = waitingLine(window);
  const d = db(env.DB);
  // Every write of a job is conditional on its claim, so a batch's jobs may overlap. They claim
  // together: one round trip of a few statements, with one read of each shop (./claim.ts). The
  // writes that end jobs after the policy share round trips (shared/db/coalesce.ts); so do provider
  // notes asked for in the same turn (no job joins that one: a send never waits for another's
  // answer), and outcomes within OUTCOME_GATHER_MS of each other.
  const claim = batchClaims(d);
  const endings = coalescing(d);
  const runs = { notes: coalescing(d), outcomes: coalescing(d, { gatherMs: OUTCOME_GATHER_MS }) };
  const now = new Date();
  await consume(
    batch,
    dispatchJobSchema,
    'dispatch',
    async (job) => {
      // Joined before the claim, so every job of the batch counts before any verdict is written.
      const ending = endings.participant();
      const claimed = await claim(job, now).catch((error) => {
        ending.leave();
        throw error;
      });
      if (!claimed) return ending.leave();
      window.preparing += 1;
      ctx.waitUntil(afterClaim(env, job, claimed, now, ending, runs, window, line, lane));
    },
    { concurrent: true },
  );
  await backlogAtMost(window, batch.messages.length);
}

/**
 * A claimed job after its ack: the send-time policy's verdict, written with the batch's other
 * verdicts, then for a job cleared to send its provider note, a place in the window and the call.
 * Until it ends or asks for a place it counts as preparing (./window.ts, `backlogAtMost`).
 */
async function afterClaim(
  env: DispatcherEnv,
  job: DispatchJob,
  claimed: Claimed,
  now: Date,
  ending: Participant,
  runs: { notes: RunStatements; outcomes: RunStatements },
  window: SendWindow,
  line: WaitingLine,
  lane: Lane,
): Promise<void> {
  let counted = true;
  const ready = () => {
    if (counted) window.preparing -= 1;
    counted = false;
  };
  let prepared: Prepared;
  try {
    const decided = (sending: boolean) => void (sending || ready());
    prepared = await prepareClaimed(env, claimed, now, fetch, { run: () => ending.run, decided });
  } catch (error) {
    ready();
    const fields = { shopId: job.shopId, messageId: job.messageId, error: String(error) };
    console.error(
      JSON.stringify({ level: 'error', msg: 'dispatch job failed; the lease reaper resolves it', ...fields }),
    );
    return;
  } finally {
    ending.leave();
  }
  if ('outcome' in prepared) return ready();
  await sendInWindow(env, job, prepared, runs, window, line, ready, lane);
}

/**
 * A claimed job's send. Its provider note goes to D1 first; then it takes a place in the window and
 * holds it until the providers answered, so a place bounds provider calls and never waits on D1.
 */
async function sendInWindow(
  env: DispatcherEnv,
  job: DispatchJob,
  prepared: Extract<Prepared, { send: unknown }>,
  runs: { notes: RunStatements; outcomes: RunStatements },
  window: SendWindow,
  line: WaitingLine,
  ready: () => void,
  lane: Lane,
): Promise<void> {
  let place: Place | undefined;
  const enter = async () => {
    ready();
    place = await line();
    return new Date();
  };
  // The place is given back once the providers answered: recording the outcome needs no provider.
  // It goes straight to the batch's next job when no other batch waits (./window.ts).
  const answered = () => {
    if (!place || place.state === 'left') return;
    window.leave(place);
    line.serve();
  };
  try {
    const outcome = await prepared.send(runs.notes, { at: new Date(), enter, answered, record: runs.outcomes });
    if (outcome.retryInMs !== undefined) await retryLater(env, job, outcome.retryInMs, lane);
  } catch (error) {
    const fields = { shopId: job.shopId, messageId: job.messageId, error: String(error) };
    console.error(
      JSON.stringify({ level: 'error', msg: 'send not recorded; the lease reaper resolves it', ...fields }),
    );
  } finally {
    ready();
    answered();
  }
}

/**
 * Queues a transiently failed job again after its backoff, on its own lane; its row, rescheduled, is
 * the durable record.
 */
async function retryLater(env: DispatcherEnv, job: DispatchJob, retryInMs: number, lane: Lane): Promise<void> {
  const queue = (lane === 'scheduled' ? env.DISPATCH_SCHEDULED : env.DISPATCH) as Queue<DispatchJob>;
  try {
    await queue.send(job, { delaySeconds: retryDelaySeconds(retryInMs) });
  } catch (error) {
    const fields = { shopId: job.shopId, messageId: job.messageId, error: String(error) };
    console.warn(JSON.stringify({ level: 'warn', msg: 'retry not queued; the due scan queues it', ...fields }));
  }
}
