/**
 * Closed-loop HTTP load with autocannon against a loopback URL: a fixed number of connections, one
 * request in flight per connection, for a bounded duration. Every response's latency is kept
 * (autocannon's own histogram rounds to whole milliseconds, too coarse for a sub-millisecond no-op),
 * and p50/p99 are computed from those; several runs of one load can be pooled (`summarize`).
 * Requests per second = responses / measured duration.
 */
import { progress } from './progress.ts';

export type LoadOptions = {
  label: string;
  url: URL;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  path: string;
  /** Called for every request: fresh headers and body (e.g. a newly signed webhook). */
  next?: () => { headers: Record<string, string>; body: string };
};

type AutocannonSummary = { requests_average: number; latency_p50: number; latency_p99: number };

export type LoadResult = {
  label: string;
  connections: number;
  seconds: number;
  responses: number;
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
  status_counts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** autocannon's own summary per run (whole-millisecond latency histogram), for reference. */
  autocannon: AutocannonSummary | AutocannonSummary[];
};

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

type AutocannonResult = {
  duration: number;
  errors: number;
  timeouts: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
};

/** One run's raw outcome: every latency, before summarising (runs can be merged, see `summarize`). */
export type RawRun = {
  label: string;
  connections: number;
  seconds: number;
  latencies: number[];
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  autocannon: AutocannonSummary;
};

export async function runLoadRaw(opts: LoadOptions): Promise<RawRun> {
  const host = opts.url.hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`refusing to load ${host}: benchmarks only target loopback`);
  }
  const { default: autocannon } = await import('autocannon').catch(() => {
    throw new Error('the intake figure needs the autocannon package (a devDependency): run npm install');
  });
  const latencies: number[] = [];
  const next = opts.next;
  const instance = autocannon({
    url: opts.url.origin,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.seconds,
    timeout: 10,
    requests: [
      {
        method: opts.method ?? 'GET',
        path: opts.path,
        ...(next
          ? {
              setupRequest: (request: Record<string, unknown>) => {
                const { headers, body } = next();
                return { ...request, headers, body };
              },
            }
          : {}),
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await progress.during(
    opts.label,
    () =>
      new Promise<AutocannonResult>((resolve, reject) => {
        instance.on('done', resolve);
        instance.on('error', reject);
      }),
    opts.seconds,
    () => `${latencies.length.toLocaleString('en-US')} responses`,
  );
  return {
    label: opts.label,
    connections: opts.connections,
    seconds: result.duration,
    latencies,
    statusCounts: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    errors: result.errors,
    timeouts: result.timeouts,
    autocannon: {
      requests_average: result.requests.average,
      latency_p50: result.latency.p50,
      latency_p99: result.latency.p99,
    },
  };
}

/** Summarises one or more runs of the same load as one: responses and seconds add up, percentiles pool. */
export function summarize(label: string, runs: RawRun[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const statusCounts: Record<string, number> = {};
  for (const run of runs) {
    for (const [code, count] of Object.entries(run.statusCounts))
      statusCounts[code] = (statusCounts[code] ?? 0) + count;
  }
  const responses = latencies.length;
  return {
    label,
    connections: runs[0]!.connections,
    seconds,
    responses,
    rps: responses / seconds,
    p50_ms: percentile(latencies, 0.5),
    p90_ms: percentile(latencies, 0.9),
    p99_ms: percentile(latencies, 0.99),
    max_ms: latencies.at(-1) ?? NaN,
    mean_ms: latencies.reduce((sum, x) => sum + x, 0) / Math.max(1, responses),
    status_counts: statusCounts,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    timeouts: runs.reduce((sum, r) => sum + r.timeouts, 0),
    autocannon: runs.length === 1 ? runs[0]!.autocannon : runs.map((r) => r.autocannon),
  };
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return summarize(opts.label, [await runLoadRaw(opts)]);
}
