/**
 * Local cron triggers: Miniflare does not fire `triggers.crons` by itself, so once a minute, at the
 * minute boundary, every worker's cron expressions are matched against that minute (UTC, as on
 * Cloudflare) and the matching workers' `scheduled()` handlers run. One log line per fired trigger.
 *
 * Expressions are parsed by croner in Cloudflare's dialect: 5 fields, UTC, weekdays 1-7 = SUN-SAT
 * (Quartz numbering), names (MON, JAN), L, W and #. croner is loaded only when some cron exists.
 */

export type CronTarget = { worker: string; crons: string[] };
export type FireScheduled = (worker: string, cron: string, scheduledTime: Date) => Promise<string>;
type CronPattern = { match(date: Date): boolean };

const MINUTE = 60_000;

/** A parser for Cloudflare cron expressions; throws on an invalid one. */
export async function loadCronParser(): Promise<(expression: string) => CronPattern> {
  const { Cron } = await import('croner').catch(() => {
    throw new Error('cron triggers need the croner package (a devDependency): run npm install');
  });
  return (expression) =>
    new Cron(expression, {
      paused: true,
      timezone: 'Etc/UTC',
      mode: '5-part',
      alternativeWeekdays: true,
      sloppyRanges: true,
    });
}

/** Starts the once-a-minute loop; resolves with a function that stops it. */
export async function startCronScheduler(targets: CronTarget[], fire: FireScheduled): Promise<() => void> {
  const all = targets.flatMap(({ worker, crons }) => crons.map((cron) => ({ worker, cron })));
  if (all.length === 0) return () => {};
  const parse = await loadCronParser();
  const jobs = all.map(({ worker, cron }) => {
    try {
      return { worker, cron, pattern: parse(cron) };
    } catch (error) {
      throw new Error(`invalid cron "${cron}" for ${worker}: ${(error as Error).message}`);
    }
  });

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const now = Date.now();
    const next = (Math.floor(now / MINUTE) + 1) * MINUTE;
    timer = setTimeout(() => tick(next), next - now);
  };
  const tick = (minute: number) => {
    schedule();
    const at = new Date(minute);
    for (const job of jobs.filter((j) => j.pattern.match(at))) {
      const started = Date.now();
      fire(job.worker, job.cron, at).then(
        (outcome) => log(job.worker, job.cron, at, `${outcome} (${Date.now() - started} ms)`),
        (error: Error) => log(job.worker, job.cron, at, `error: ${error.message}`),
      );
    }
  };
  schedule();
  return () => clearTimeout(timer);
}

function log(worker: string, cron: string, at: Date, result: string): void {
  console.log(`[cron] ${at.toISOString().slice(0, 16)}Z ${worker} "${cron}" -> ${result}`);
}
