/**
 * Fires one worker's `scheduled()` handler on a running Miniflare, asynchronously, through
 * Miniflare's trigger route (`unsafeTriggerHandlers: true`, the local equivalent of
 * `wrangler dev --test-scheduled`), addressed to the worker by Miniflare's route override.
 *
 * Not through `mf.getWorker(name).scheduled(...)`: Miniflare's binding proxy makes the first call of
 * each proxied function synchronously (`Atomics.wait` on Node's main thread until workerd answers).
 * While Node waits, nobody reads workerd's stdout; a busy stack that logs more than the pipe holds
 * then blocks workerd's one thread on that write, the answer never comes, and both processes hang.
 * A fetch keeps Node's event loop running, so workerd's output is always drained.
 */
import type { Miniflare } from 'miniflare';

/** Miniflare's trigger route for scheduled handlers (its `CorePaths.SCHEDULED`). */
export const SCHEDULED_PATH = '/cdn-cgi/local/scheduled';
/** The header with which Miniflare's entry worker routes a request to a worker by name. */
const ROUTE_OVERRIDE = 'MF-Route-Override';

/** Runs `worker`'s scheduled handler for `cron` at `scheduledTime`; returns its outcome (`ok`, `exception`, ...). */
export async function fireScheduled(mf: Miniflare, worker: string, cron: string, scheduledTime: Date): Promise<string> {
  const url = new URL(SCHEDULED_PATH, 'http://localhost');
  url.searchParams.set('cron', cron);
  url.searchParams.set('time', String(scheduledTime.getTime()));
  url.searchParams.set('format', 'json');
  const response = await mf.dispatchFetch(url, { headers: { [ROUTE_OVERRIDE]: worker } });
  const text = await response.text();
  let outcome: unknown;
  try {
    outcome = (JSON.parse(text) as { outcome?: unknown }).outcome;
  } catch {
    outcome = undefined;
  }
  if (typeof outcome !== 'string') {
    throw new Error(`scheduled ${worker} (${cron}): HTTP ${response.status} without an outcome: ${text.slice(0, 200)}`);
  }
  return outcome;
}
