/**
 * Figure 1, intake (issue 7 item 1): signed `order.created` webhooks against the real gateway worker
 * on workerd (one Miniflare running the workers of wrangler.toml, no dev proxy), compared with the
 * same worker's no-op `GET /healthz` under the same load. Closed loop with autocannon on 127.0.0.1:
 * fixed connections, bounded duration, a warm-up run of each route before the measured runs. Every
 * intake response must be 202 and every accepted event must be in D1, or the figure fails (a
 * benchmark that measures errors is wrong).
 *
 * Targets: intake req/s ≥ 0.6 × no-op req/s; intake p99 ≤ 3 × no-op p99.
 */
import { createShop, startGateway } from './lib/gateway.ts';
import { runLoad, runLoadRaw, summarize, type LoadResult, type RawRun } from './lib/load.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';
import { signedOrderCreated } from './lib/webhook.ts';

export const INTAKE_TARGETS = { rpsRatioMin: 0.6, p99RatioMax: 3 } as const;

export type IntakeOptions = { quick: boolean };

export async function benchIntake({ quick }: IntakeOptions): Promise<FigureResult> {
  const connections = 20;
  const warmupSeconds = quick ? 1 : 3;
  const seconds = quick ? 2 : 10;
  // The measured time of each route is split into slices that alternate (no-op, intake, no-op, ...),
  // so a change in other load on the machine during the run falls on both routes alike.
  const slices = quick ? 1 : 2;
  const method = {
    runtime:
      'workerd via the Miniflare API: one instance running every worker of wrangler.toml (bundles from `wrangler deploy --dry-run`); the gateway receives the load',
    d1: 'local D1 (SQLite) in a fresh temp persist dir, migrated by `wrangler d1 migrations apply --local`',
    load_generator: 'autocannon (same Node process), 127.0.0.1, closed loop, pipelining 1',
    connections,
    warmup_seconds_per_route: warmupSeconds,
    measured_seconds_per_route: seconds,
    measured_slices_per_route: `${slices} (alternating no-op and intake, ${seconds / slices} s each; latencies pooled)`,
    intake: 'POST /v1/webhooks/{shop_id}: order.created, fresh webhook-id/timestamp/order id, HMAC-SHA256 signed',
    baseline: 'GET /healthz on the same worker (no binding touched)',
    latency: 'per-response time measured by autocannon (hrtime), percentiles over every response',
  };

  progress.update('intake', 'bundling the workers and migrating a fresh D1');
  const gateway = await startGateway();
  try {
    const { shopId, secret } = await createShop(gateway);
    const next = signedOrderCreated(secret);
    const intakePath = `/v1/webhooks/${shopId}`;

    // One delivery by hand first: a wrong setup should fail loudly here, not as thousands of 401s.
    const probe = next();
    const first = await fetch(new URL(intakePath, gateway.url), { method: 'POST', ...probe });
    if (first.status !== 202) throw new Error(`a signed order.created answered ${first.status}: ${await first.text()}`);
    const health = await fetch(new URL('/healthz', gateway.url));
    if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status}`);
    await health.body?.cancel();

    const base = { url: gateway.url, connections };
    const noopLoad = (label: string, s: number) => ({ ...base, label, seconds: s, path: '/healthz' });
    const intakeLoad = (label: string, s: number) => ({
      ...base,
      label,
      seconds: s,
      method: 'POST' as const,
      path: intakePath,
      next,
    });

    const warm = [
      await runLoad(noopLoad('intake: warm-up no-op', warmupSeconds)),
      await runLoad(intakeLoad('intake: warm-up intake', warmupSeconds)),
    ];
    const noopRuns: RawRun[] = [];
    const intakeRuns: RawRun[] = [];
    for (let i = 1; i <= slices; i++) {
      const slice = slices > 1 ? ` (${i}/${slices})` : '';
      noopRuns.push(await runLoadRaw(noopLoad(`intake: measuring no-op GET /healthz${slice}`, seconds / slices)));
      intakeRuns.push(await runLoadRaw(intakeLoad(`intake: measuring signed order.created${slice}`, seconds / slices)));
    }
    const noopRun = summarize('no-op GET /healthz', noopRuns);
    const intakeRun = summarize('intake order.created', intakeRuns);

    // Every delivery of the warm-up and measured intake runs (and the probe) must have been accepted and stored.
    const allIntake = [warm[1]!, intakeRun];
    const non202 = allIntake.reduce((sum, r) => sum + nonStatus(r, '202') + r.errors + r.timeouts, 0);
    const noopErrors = [warm[0]!, noopRun].reduce((sum, r) => sum + nonStatus(r, '200') + r.errors + r.timeouts, 0);
    const accepted = 1 + allIntake.reduce((sum, r) => sum + (r.status_counts['202'] ?? 0), 0);
    // Requests still in flight when a run's time is up are answered after autocannon stops counting,
    // so D1 may hold up to `connections` more events per run than the 202s counted.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stored = await gateway.count('webhook_events');
    const storedOk = stored >= accepted && stored - accepted <= connections * (1 + intakeRuns.length);

    const rpsRatio = intakeRun.rps / noopRun.rps;
    const p99Ratio = intakeRun.p99_ms / noopRun.p99_ms;
    const rows: Row[] = [
      {
        label: 'intake req/s',
        value: intakeRun.rps,
        unit: 'req/s',
        baseline: noopRun.rps,
        baselineLabel: 'no-op',
        ratio: rpsRatio,
        target: `ratio ≥ ${INTAKE_TARGETS.rpsRatioMin.toFixed(2)}`,
        status: check(rpsRatio, INTAKE_TARGETS.rpsRatioMin, 'min'),
      },
      {
        label: 'intake p50',
        value: intakeRun.p50_ms,
        unit: 'ms',
        baseline: noopRun.p50_ms,
        baselineLabel: 'no-op',
        ratio: intakeRun.p50_ms / noopRun.p50_ms,
        target: '—',
        status: 'info',
      },
      {
        label: 'intake p99',
        value: intakeRun.p99_ms,
        unit: 'ms',
        baseline: noopRun.p99_ms,
        baselineLabel: 'no-op',
        ratio: p99Ratio,
        target: `ratio ≤ ${INTAKE_TARGETS.p99RatioMax.toFixed(2)}`,
        status: check(p99Ratio, INTAKE_TARGETS.p99RatioMax, 'max'),
      },
      {
        label: 'intake non-202 / errors',
        value: non202 + noopErrors,
        unit: '',
        baseline: null,
        ratio: null,
        target: '= 0',
        status: non202 + noopErrors === 0 && storedOk ? 'pass' : 'fail',
        note: storedOk ? undefined : `${accepted} accepted but ${stored} in webhook_events`,
      },
    ];
    return {
      id: 'intake',
      title: 'Intake: signed order.created vs no-op',
      status: figureStatus(rows),
      method,
      metrics: {
        noop: noopRun,
        intake: intakeRun,
        warmup: warm,
        rps_ratio: rpsRatio,
        p99_ratio: p99Ratio,
        non_202_intake: non202,
        noop_errors: noopErrors,
        accepted_events: accepted,
        stored_webhook_events: stored,
        workers_running: gateway.workers,
      },
      rows,
      notes: [],
    };
  } finally {
    progress.update('intake', 'stopping workerd');
    await gateway.stop();
    progress.clear();
  }
}

function nonStatus(run: LoadResult, ok: string): number {
  return Object.entries(run.status_counts).reduce((sum, [code, n]) => sum + (code === ok ? 0 : n), 0);
}
