/**
 * Figure 2, reminder-pass scaling (issue 7 item 2): one unpaid-reminder pass over backlogs of 1k, 10k
 * and 100k unpaid orders (`--quick`: 1k and 10k), 1k of them due, on the real workers on workerd (one
 * Miniflare running every worker of wrangler.toml; cron triggers are not fired, so the only pass is
 * ours). Orders and customers are seeded straight into the gateway's D1 with multi-row INSERTs of
 * literal values (no bound parameters, so D1's 100-parameter limit does not apply); the pass is run
 * as a user would, `POST /v1/runs/unpaid-reminders` with the shop's API key, which calls the
 * worker's pass over its service binding. Wall time is measured in Node around that request;
 * `rows_read` is the pass's own count of D1 rows read by its due-order scans.
 *
 * The flows' queue consumers are left out of the instance, so the time is the pass's own: its jobs
 * wait in the queue instead of being sent on the same workerd thread.
 *
 * Planning floor (issue 16 item 3): a bench-only worker on the same workerd and D1
 * (bench/workers/insert-floor.ts) inserts as many rows as the pass planned, copies of a message the
 * pass wrote, as raw D1 batches of 200; timed the same way, alternating with the 1k passes.
 *
 * Targets: rows_read per due order ≤ 2 at every backlog; pass time at the largest backlog ≤ 1.25 ×
 * the time at 1k; pass throughput at 1k ≥ 0.25 × the floor's rows per second.
 */
import path from 'node:path';
import { createShop, startGateway, type BenchD1, type Gateway } from './lib/gateway.ts';
import { progress } from './lib/progress.ts';
import { chunked, insertAll, INSERTS_PER_BATCH, median, ROWS_PER_INSERT, sleep } from './lib/seed.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';
import { workerdMemory, type WorkerdMemory } from './lib/workerd-memory.ts';

export const REMINDER_TARGETS = { rowsReadPerDueMax: 2, passTimeRatioMax: 1.25, floorRatioMin: 0.25 } as const;

const DUE = 1_000;
const DAY = 86_400_000;
const ITEMS = JSON.stringify([{ sku: 'TEA-LJ-250', title: '明前西湖龙井 250g', quantity: 1, unit_price: '258.00' }]);

type Pass = {
  claimed: number;
  planned: number;
  skipped: Record<string, number>;
  rows_read: number;
  more: boolean;
  wall_ms: number;
  workerd_memory: WorkerdMemory | null;
  drain_ms: number;
};

type BacklogResult = {
  backlog: number;
  due: number;
  seed_ms: number;
  passes: Pass[];
  wall_ms_median: number;
  rows_read_per_due_max: number;
  /** What the dispatcher made of the last pass's messages (status:reason → count). */
  messages_after_last_pass: Record<string, number>;
};

/** One customer per due order (distinct phones, so none is merged or capped as the same phone). */
export async function seedCustomers(d1: BenchD1, shopId: string, n: number) {
  const now = Date.now();
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `('${shopId}','bench-buyer-${i}','王小明','+86138${String(i).padStart(8, '0')}','buyer${i}@example.com','zh-CN',1,${now},${now},${now})`,
  );
  const statements = chunked(rows, ROWS_PER_INSERT).map(
    (chunk) =>
      `INSERT INTO customers (shop_id, id, name, phone, email, locale, marketing_consent, details_at, created_at, updated_at) VALUES ${chunk.join(',')}`,
  );
  await insertAll(d1, statements, () => {});
}

/** `backlog` unpaid orders of the shop, `due` of them with their reminder timer a minute ago, the rest in 30 days. */
export async function seedOrders(d1: BenchD1, shopId: string, backlog: number, due: number, label: string) {
  const now = Date.now();
  const placed = now - 3_600_000;
  const rows: string[] = [];
  const timers: string[] = [];
  const add = (id: string, buyer: string, dueAt: number) => {
    rows.push(
      `('${shopId}','${id}','${buyer}','created',0,${placed},'bench','CNY','258.00','${ITEMS}',${placed},${placed},${placed})`,
    );
    timers.push(`('${shopId}','unpaid-reminders','${id}','reminder',${dueAt},${placed},${placed})`);
  };
  for (let i = 0; i < due; i++) add(`due-${i}`, `bench-buyer-${i}`, now - 60_000);
  // Backlog orders' buyers have no customer row: the pass never reads them (they are not due).
  for (let i = 0; i < backlog - due; i++) add(`later-${i}`, `bench-later-${i}`, now + 30 * DAY);
  const statements = [
    ...chunked(rows, ROWS_PER_INSERT).map(
      (chunk) =>
        `INSERT INTO orders (shop_id, id, buyer_id, state, state_rank, state_at, state_event_id, currency, total, items, placed_at, created_at, updated_at) VALUES ${chunk.join(',')}`,
    ),
    ...chunked(timers, ROWS_PER_INSERT).map(
      (chunk) =>
        `INSERT INTO flow_timers (shop_id, flow, order_id, step, due_at, created_at, updated_at) VALUES ${chunk.join(',')}`,
    ),
  ];
  const total = rows.length + timers.length;
  await insertAll(d1, statements, (done) =>
    progress.update(
      label,
      `${Math.min(total, done * ROWS_PER_INSERT).toLocaleString('en-US')}/${total.toLocaleString('en-US')} order and timer rows`,
    ),
  );
}

/**
 * Waits until the dispatcher has taken every job the pass queued: no message of the shop is still
 * planned, sending, or queued and due (a message deferred by quiet hours stays queued with a later
 * due time and has no job in the queue). Bounded; returns the time waited, or -1 on the bound.
 */
/** The floor: `n` copies of `row` inserted raw by the bench-only worker; wall time in Node. */
async function insertFloor(gateway: Gateway, row: Record<string, unknown>, n: number): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(new URL(`/insert-floor?n=${n}`, gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(row),
  });
  const text = await response.text();
  const ms = performance.now() - t0;
  if (response.status !== 200) throw new Error(`the insert floor answered ${response.status}: ${text.slice(0, 300)}`);
  return ms;
}

export async function runPass(gateway: Gateway, apiKey: string): Promise<Omit<Pass, 'workerd_memory' | 'drain_ms'>> {
  const t0 = performance.now();
  const response = await fetch(new URL('/v1/runs/unpaid-reminders', gateway.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const text = await response.text();
  const wall_ms = performance.now() - t0;
  if (response.status !== 200)
    throw new Error(`POST /v1/runs/unpaid-reminders answered ${response.status}: ${text.slice(0, 300)}`);
  const counts = JSON.parse(text) as Omit<Pass, 'wall_ms' | 'workerd_memory' | 'drain_ms'>;
  return { ...counts, wall_ms };
}

async function clearShop(d1: BenchD1, shopId: string) {
  await d1.batch([
    d1.prepare('DELETE FROM messages WHERE shop_id = ?').bind(shopId),
    d1.prepare('DELETE FROM orders WHERE shop_id = ?').bind(shopId),
    d1.prepare('DELETE FROM flow_timers WHERE shop_id = ?').bind(shopId),
  ]);
}

export async function benchReminders({ quick }: { quick: boolean }): Promise<FigureResult> {
  const backlogs = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  // A pass of about 200–300 ms lands in one of two modes on a 2-core machine (BENCHMARKS.md,
  // §2); the median of 5 is far steadier than the median of 3.
  const repeats = quick ? 2 : 5;
  const method = {
    runtime:
      'workerd via the Miniflare API: one instance running every worker of wrangler.toml (as for intake); cron triggers not fired',
    d1: 'local D1 (SQLite) in a fresh temp persist dir, migrated by `wrangler d1 migrations apply --local`',
    backlogs: `${backlogs.map((b) => b.toLocaleString('en-US')).join(', ')} unpaid orders of one shop (state created), ${DUE.toLocaleString('en-US')} of them due (reminder timer a minute ago), the rest due in 30 days`,
    seeding: `multi-row INSERTs of literal values (${ROWS_PER_INSERT} rows each, ${INSERTS_PER_BATCH} per D1 batch) through the gateway's D1 binding; one customer with a distinct phone per due order; the shop's orders and messages deleted between backlogs`,
    pass: 'POST /v1/runs/unpaid-reminders with the shop API key (the gateway calls the worker pass over its service binding); one pass takes at most 10 batches of 200 orders',
    repeats_per_backlog: `${repeats} (between repeats: messages deleted, the due orders made due again, the dispatcher drained)`,
    warm_up: 'one pass over 50 due orders before the measured backlogs (not measured)',
    wall_time: 'Node performance.now() around the request, the median of the repeats',
    rows_read:
      "the pass's own count: D1 meta.rows_read of its due-order scans (index range scans); the claim UPDATEs and planning writes are not counted",
    memory: 'workerd resident set (VmRSS) and its peak (VmHWM) from /proc, all workers of the instance together',
    dispatcher:
      "no queue consumers in the instance: the pass's dispatch jobs wait in the queue, so the timed work is the pass's own",
    floor: `bench/workers/insert-floor.ts on the same workerd and D1: ${DUE} copies of a reminder the warm-up pass planned (new id and order id each), one INSERT per row, D1 batches of 200; once before each 1k pass, median`,
  };

  progress.update('reminders', 'bundling the workers and migrating a fresh D1');
  const gateway = await startGateway({
    quietWorkerLogs: true,
    queueConsumers: false,
    benchWorkers: [
      {
        name: 'bench-insert-floor',
        entry: path.join(import.meta.dirname, 'workers', 'insert-floor.ts'),
        routes: ['*/insert-floor*'],
      },
    ],
  });
  const floorMs: number[] = [];
  const results: BacklogResult[] = [];
  const notes: string[] = [];
  try {
    const { shopId, apiKey } = await createShop(gateway);
    const d1 = await gateway.db();
    await seedCustomers(d1, shopId, DUE);

    // Warm-up: the reminder worker's isolate, the route, the statements.
    progress.update('reminders', 'warm-up pass');
    await seedOrders(d1, shopId, 50, 50, 'reminders: warm-up');
    const warm = await runPass(gateway, apiKey);
    if (warm.claimed !== 50) throw new Error(`the warm-up pass claimed ${warm.claimed} of 50 due orders`);
    const sample = await d1
      .prepare(`SELECT * FROM messages WHERE shop_id = ? AND kind = 'unpaid_reminder' AND status = 'queued' LIMIT 1`)
      .bind(shopId)
      .first<Record<string, unknown>>();
    if (!sample) throw new Error('the warm-up pass planned no queued reminder to copy for the floor');
    await insertFloor(gateway, sample, 50); // warm-up of the floor

    for (const backlog of backlogs) {
      const label = `reminders: ${backlog.toLocaleString('en-US')} backlog`;
      await clearShop(d1, shopId);
      const s0 = performance.now();
      await seedOrders(d1, shopId, backlog, DUE, `${label}: seeding`);
      const seed_ms = performance.now() - s0;
      const passes: Pass[] = [];
      for (let r = 0; r < repeats; r++) {
        const drain_ms = 0;
        if (r > 0) {
          await d1.batch([
            d1.prepare('DELETE FROM messages WHERE shop_id = ?').bind(shopId),
            d1
              .prepare(
                `UPDATE flow_timers SET due_at = ? WHERE shop_id = ? AND flow = 'unpaid-reminders' AND step = 'reminder' AND order_id LIKE 'due-%'`,
              )
              .bind(Date.now() - 60_000, shopId),
          ]);
        }
        progress.update(label, `pass ${r + 1}/${repeats}`);
        if (backlog === backlogs[0]) {
          progress.update(label, `floor ${r + 1}/${repeats}: inserting ${DUE} rows raw`);
          floorMs.push(await insertFloor(gateway, sample, DUE));
          await d1.prepare(`DELETE FROM messages WHERE shop_id = ? AND id LIKE 'msg_floor_%'`).bind(shopId).run();
        }
        const pass = await runPass(gateway, apiKey);
        const passResult = { ...pass, drain_ms, workerd_memory: workerdMemory() };
        passes.push(passResult);
        if (pass.claimed !== DUE || pass.more) {
          throw new Error(
            `the pass over the ${backlog} backlog claimed ${pass.claimed} of ${DUE} due orders (more: ${pass.more})`,
          );
        }
      }
      const { results: statuses } = await d1
        .prepare('SELECT status, reason, count(*) AS n FROM messages WHERE shop_id = ? GROUP BY status, reason')
        .bind(shopId)
        .all<{ status: string; reason: string | null; n: number }>();
      results.push({
        backlog,
        due: DUE,
        seed_ms: Math.round(seed_ms),
        passes: passes.map((p) => ({ ...p, wall_ms: Math.round(p.wall_ms * 10) / 10 })),
        wall_ms_median: median(passes.map((p) => p.wall_ms)),
        rows_read_per_due_max: Math.max(...passes.map((p) => p.rows_read / DUE)),
        messages_after_last_pass: Object.fromEntries(
          statuses.map((s: { status: string; reason: string | null; n: number }) => [
            `${s.status}${s.reason ? `:${s.reason}` : ''}`,
            s.n,
          ]),
        ),
      });
    }
  } finally {
    progress.clear();
    await gateway.stop();
  }

  const base = results[0]!;
  const largest = results.at(-1)!;
  const rows: Row[] = [];
  for (const r of results) {
    rows.push({
      label: `reminders: rows_read/due @${r.backlog / 1000}k`,
      value: r.rows_read_per_due_max,
      unit: '',
      baseline: null,
      ratio: null,
      target: `≤ ${REMINDER_TARGETS.rowsReadPerDueMax} per due order`,
      status: check(r.rows_read_per_due_max, REMINDER_TARGETS.rowsReadPerDueMax, 'max'),
    });
  }
  for (const r of results) {
    const isLargest = r === largest && r !== base;
    const ratio = r.wall_ms_median / base.wall_ms_median;
    rows.push({
      label: `reminders: pass time @${r.backlog / 1000}k`,
      value: r.wall_ms_median,
      unit: 'ms',
      baseline: r === base ? null : base.wall_ms_median,
      baselineLabel: r === base ? undefined : '@1k',
      ratio: r === base ? null : ratio,
      target: isLargest ? `ratio ≤ ${REMINDER_TARGETS.passTimeRatioMax.toFixed(2)}` : '—',
      status: isLargest ? check(ratio, REMINDER_TARGETS.passTimeRatioMax, 'max') : 'info',
      ...(isLargest && quick ? { note: 'quick: 10k is the largest' } : {}),
    });
  }
  const floor = median(floorMs);
  const floorRatio = floor / base.wall_ms_median;
  rows.push({
    label: 'reminders: planning @1k vs floor',
    value: (DUE / base.wall_ms_median) * 1000,
    unit: 'due/s',
    baseline: (DUE / floor) * 1000,
    baselineLabel: 'raw inserts/s',
    ratio: floorRatio,
    target: `ratio ≥ ${REMINDER_TARGETS.floorRatioMin.toFixed(2)}`,
    status: check(floorRatio, REMINDER_TARGETS.floorRatioMin, 'min'),
  });
  const peaks = results.flatMap((r) => r.passes.map((p) => p.workerd_memory?.peak_rss_mib ?? NaN));
  const peak = Math.max(...peaks);
  rows.push({
    label: 'reminders: workerd peak RSS',
    value: Number.isFinite(peak) ? peak : null,
    unit: 'MiB',
    baseline: null,
    ratio: null,
    target: '—',
    status: 'info',
    ...(Number.isFinite(peak) ? {} : { note: 'not measured' }),
  });
  return {
    id: 'reminders',
    title: 'Reminder-pass scaling (unpaid backlog, 1k due)',
    status: figureStatus(rows),
    method,
    metrics: { backlogs: results, floor_ms: floorMs.map((x) => Math.round(x)), floor_ratio: floorRatio },
    rows,
    notes,
  };
}
