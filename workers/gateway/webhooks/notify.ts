/**
 * Wakes the flows an accepted event armed, each on the queue the registry names. Never fails the
 * webhook: the trigger rows are already written, and each flow's sweep runs what a queue lost.
 *
 * Notifications are collected per isolate for a few milliseconds and leave as one `sendBatch` per
 * queue (up to 100 messages a call): under load one call carries the wake-ups of many requests
 * instead of one call each (BENCHMARKS.md, intake). Only plain data (the trigger keys) crosses
 * requests, never an I/O object or a promise. The first request whose keys find no flush pending
 * registers one with its own `waitUntil`; it sends, in that request's context, whatever is waiting
 * when its timer fires. So a request's keys leave with its own flush or with one that is still
 * running, at most `FLUSH_AFTER_MS` later. Should a registered flush never run (its request torn
 * down), the first request a second after it was due registers another, which takes the keys left
 * waiting; until then, and if no request follows, the flow's sweep runs them.
 */
import type { FlowJob } from '../../../shared/events/flow-job';
import { flows, type FlowQueue } from '../../../shared/flows/registry';
import type { TimerKey } from '../../../shared/flows/timers';

/**
 * How long a notification waits for company: the flows' wake-up lag grows by at most this. Each
 * call is a trip through the queue broker, which locally shares workerd's one thread with the
 * intake; at 50 ms one call carries about 25 events' wake-ups at 500 events/s (5 ms: about 2.5),
 * which raised the intake figure by a few hundredths of the floor (BENCHMARKS.md §1).
 */
export const FLUSH_AFTER_MS = 50;
const MAX_PER_CALL = 100;

type QueueEnv = Pick<Cloudflare.GatewayEnv, FlowQueue>;

/** Plain data only: the keys waiting for the next flush in this isolate. */
let waiting: TimerKey[] = [];
/** When the flush that will take `waiting` is due (0: none registered). */
let flushDue = 0;
/** A registered flush this late is taken for lost (its request ended early): the next request registers another. */
export const LOST_AFTER_MS = 1_000;

/**
 * Adds the triggers to this isolate's next flush. The first request after a flush registers the
 * next one with its own `waitUntil`; requests that add keys before that flush fires leave them to it.
 */
export function notifyFlows(
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  env: QueueEnv,
  triggers: TimerKey[],
  now = Date.now(),
): void {
  if (triggers.length === 0) return;
  waiting.push(...triggers);
  if (flushDue !== 0 && now < flushDue + LOST_AFTER_MS) return;
  flushDue = now + FLUSH_AFTER_MS;
  ctx.waitUntil(flushAfter(env, FLUSH_AFTER_MS));
}

async function flushAfter(env: QueueEnv, ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  const keys = waiting;
  waiting = [];
  flushDue = 0;
  await sendAll(env, keys);
}

/** One `sendBatch` per queue and 100 keys; a refused call is logged per key for its sweep. */
async function sendAll(env: QueueEnv, keys: TimerKey[]): Promise<void> {
  const byQueue = new Map<FlowQueue, TimerKey[]>();
  for (const key of keys) {
    const queue = flows[key.flow].queue;
    const list = byQueue.get(queue);
    if (list) list.push(key);
    else byQueue.set(queue, [key]);
  }
  const calls: Promise<void>[] = [];
  for (const [queue, list] of byQueue) {
    for (let at = 0; at < list.length; at += MAX_PER_CALL) {
      const part = list.slice(at, at + MAX_PER_CALL);
      const messages = part.map((key) => ({ body: key satisfies FlowJob }));
      calls.push(
        (env[queue] as Queue<FlowJob>).sendBatch(messages).then(
          () => undefined,
          (error: unknown) => part.forEach((key) => logLost(key, error)),
        ),
      );
    }
  }
  await Promise.all(calls);
}

function logLost({ flow, shopId, orderId, step }: TimerKey, error: unknown): void {
  const fields = { flow, shopId, orderId, step, error: String(error) };
  console.warn(JSON.stringify({ level: 'warn', msg: 'flow notify failed; its sweep will run it', ...fields }));
}
