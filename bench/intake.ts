/**
 * Figure 1, intake (issue 7 item 1, issue 16 item 1): signed `order.created` webhooks against the
 * real gateway worker on workerd (one Miniflare running the workers of wrangler.toml, no dev proxy),
 * compared with the floor: a bench-only worker on the same workerd and D1 that writes the intake's
 * own statements as one raw D1 batch, with no signature check, validation or ORM
 * (bench/workers/intake-floor.ts). The gateway's no-op `GET /healthz` is measured too, as
 * information. Closed loop with autocannon on 127.0.0.1: fixed connections, bounded duration, a
 * warm-up run of each route before the measured runs, measured slices alternating between the routes.
 * Every intake and floor response must be 202 and every accepted event must be in D1, or the figure
 * fails (a benchmark that measures errors is wrong).
 *
 * Targets: intake req/s ≥ 0.8 × floor req/s; intake p99 ≤ 1.5 × floor p99.
 */
import path from 'node:path';
import { createShop, startGateway } from './lib/gateway.ts';
import { runLoad, runLoadRaw, summarize, type LoadResult, type RawRun } from './lib/load.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';
import { signedOrderCreated } from './lib/webhook.ts';

export const INTAKE_TARGETS = { rpsRatioMin: 0.8, p99RatioMax: 1.5 } as const;

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
    baseline:
      "the floor: POST /floor/{shop_id} on a bench-only worker (bench/workers/intake-floor.ts) in the same workerd, bound to the same D1, writing the intake's own statements for the event (SQL taken once from intakeStatements) as one raw D1 batch; no signature check, validation or ORM at request time",
    queue_consumers:
      "none: the flows' queue consumers are left out of this instance, so only the route under load runs on workerd's thread (the intake still sends its wake-up jobs after answering)",
    information: 'GET /healthz on the gateway (no binding touched): the no-op ratio, kept as information',
    latency: 'per-response time measured by autocannon (hrtime), percentiles over every response',
  };

  progress.update('intake', 'bundling the workers and migrating a fresh D1');
  const gateway = await startGateway({
    // The flows' consumers would share workerd's one thread with the route under load; on Cloudflare
    // they run in their own isolates. Their jobs wait in the queues instead.
    queueConsumers: false,
    benchWorkers: [
      {
        name: 'bench-intake-floor',
        entry: path.join(import.meta.dirname, 'workers', 'intake-floor.ts'),
        routes: ['*/floor/*'],
      },
    ],
  });
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
    const floorPath = `/floor/${shopId}`;
    const floorProbe = await fetch(new URL(floorPath, gateway.url), { method: 'POST', ...next() });
    if (floorProbe.status !== 202)
      throw new Error(`the floor answered ${floorProbe.status}: ${await floorProbe.text()}`);

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

    const floorLoad = (label: string, s: number) => ({ ...intakeLoad(label, s), path: floorPath });

    const warm = [
      await runLoad(noopLoad('intake: warm-up no-op', warmupSeconds)),
      await runLoad(intakeLoad('intake: warm-up intake', warmupSeconds)),
      await runLoad(floorLoad('intake: warm-up floor', warmupSeconds)),
    ];
    const noopRuns: RawRun[] = [];
    const intakeRuns: RawRun[] = [];
    const floorRuns: RawRun[] = [];
    for (let i = 1; i <= slices; i++) {
      const slice = slices > 1 ? ` (${i}/${slices})` : '';
      noopRuns.push(await runLoadRaw(noopLoad(`intake: measuring no-op GET /healthz${slice}`, seconds / slices)));
      floorRuns.push(await runLoadRaw(floorLoad(`intake: measuring the raw-batch floor${slice}`, seconds / slices)));
      intakeRuns.push(await runLoadRaw(intakeLoad(`intake: measuring signed order.created${slice}`, seconds / slices)));
    }
    const noopRun = summarize('no-op GET /healthz', noopRuns);
    const floorRun = summarize('floor: raw D1 batch', floorRuns);
    const intakeRun = summarize('intake order.created', intakeRuns);

    // Every delivery of the warm-up and measured intake runs (and the probe) must have been accepted and stored.
    const allIntake = [warm[1]!, intakeRun];
    const non202 = allIntake.reduce((sum, r) => sum + nonStatus(r, '202') + r.errors + r.timeouts, 0);
    const noopErrors = [warm[0]!, noopRun].reduce((sum, r) => sum + nonStatus(r, '200') + r.errors + r.timeouts, 0);
    const floorErrors = [warm[2]!, floorRun].reduce((sum, r) => sum + nonStatus(r, '202') + r.errors + r.timeouts, 0);
    const accepted = 1 + allIntake.reduce((sum, r) => sum + (r.status_counts['202'] ?? 0), 0);
    // Requests still in flight when a run's time is up are answered after autocannon stops counting,
    // so D1 may hold up to `connections` more events per run than the 202s counted.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const d1 = await gateway.db();
    const stored = (await d1
      .prepare(`SELECT count(*) AS n FROM webhook_events WHERE id NOT LIKE 'evt_floor_%'`)
      .first<{ n: number }>())!.n;
    const storedOk = stored >= accepted && stored - accepted <= connections * (1 + intakeRuns.length);

    const rpsRatio = intakeRun.rps / floorRun.rps;
    const p99Ratio = intakeRun.p99_ms / floorRun.p99_ms;
    const rows: Row[] = [
      {
        label: 'intake req/s',
        value: intakeRun.rps,
        unit: 'req/s',
        baseline: floorRun.rps,
        baselineLabel: 'raw-batch floor',
        ratio: rpsRatio,
        target: `ratio ≥ ${INTAKE_TARGETS.rpsRatioMin.toFixed(2)}`,
        status: check(rpsRatio, INTAKE_TARGETS.rpsRatioMin, 'min'),
      },
      {
        label: 'intake p50',
        value: intakeRun.p50_ms,
        unit: 'ms',
        baseline: floorRun.p50_ms,
        baselineLabel: 'raw-batch floor',
        ratio: intakeRun.p50_ms / floorRun.p50_ms,
        target: '—',
        status: 'info',
      },
      {
        label: 'intake p99',
        value: intakeRun.p99_ms,
        unit: 'ms',
        baseline: floorRun.p99_ms,
        baselineLabel: 'raw-batch floor',
        ratio: p99Ratio,
        target: `ratio ≤ ${INTAKE_TARGETS.p99RatioMax.toFixed(2)}`,
        status: check(p99Ratio, INTAKE_TARGETS.p99RatioMax, 'max'),
      },
      {
        label: 'intake req/s vs no-op',
        value: intakeRun.rps,
        unit: 'req/s',
        baseline: noopRun.rps,
        baselineLabel: 'no-op',
        ratio: intakeRun.rps / noopRun.rps,
        target: '—',
        status: 'info',
      },
      {
        label: 'floor req/s vs no-op',
        value: floorRun.rps,
        unit: 'req/s',
        baseline: noopRun.rps,
        baselineLabel: 'no-op',
        ratio: floorRun.rps / noopRun.rps,
        target: '—',
        status: 'info',
      },
      {
        label: 'intake non-202 / errors',
        value: non202 + noopErrors + floorErrors,
        unit: '',
        baseline: null,
        ratio: null,
        target: '= 0',
        status: non202 + noopErrors + floorErrors === 0 && storedOk ? 'pass' : 'fail',
        note: storedOk ? undefined : `${accepted} accepted but ${stored} in webhook_events`,
      },
    ];
    return {
      id: 'intake',
      title: 'Intake: signed order.created vs the raw-batch floor',
      status: figureStatus(rows),
      method,
      metrics: {
        noop: noopRun,
        floor: floorRun,
        intake: intakeRun,
        floor_errors: floorErrors,
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
