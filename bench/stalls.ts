/**
 * Stall-pass scaling (issue 11 item 8): one shipment-followups pass over 1k and 100k parcels in
 * transit (`--quick`: 1k and 10k), 1k of them stalled, on the real workers on workerd. Parcels and
 * their stall timers are seeded straight into D1 (the stalled ones with a check due a minute ago and
 * no movement for 100 h, the rest due in 30 days); the pass is run as a user would,
 * `POST /v1/runs/shipment-followups`, which calls the worker's pass over its service binding. Each
 * stalled parcel gets a staff alert planned (rendered, inserted, queued).
 *
 * Targets: rows_read per stalled parcel ≤ 2 at every size; pass time at the largest ≤ 1.25 × at 1k.
 */
import { createShop, startGateway, type BenchD1 } from './lib/gateway.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';
import { chunked, insertAll, median, ROWS_PER_INSERT } from './lib/seed.ts';

export const STALL_TARGETS = { rowsReadPerStalledMax: 2, passTimeRatioMax: 1.25 } as const;
const STALLED = 1_000;
const HOUR = 3_600_000;

async function seedParcels(d1: BenchD1, shopId: string, total: number, label: string) {
  const now = Date.now();
  const shipments: string[] = [];
  const timers: string[] = [];
  for (let i = 0; i < total; i++) {
    const stalled = i < STALLED;
    const moved = stalled ? now - 100 * HOUR : now - HOUR;
    const id = `shp-${i}`;
    shipments.push(
      `('${shopId}','o-${i}','${id}','中通快递','ZT${i}','in_transit',${moved},${moved - HOUR},NULL,${moved},${moved},${moved})`,
    );
    timers.push(
      `('${shopId}','shipment-followups','o-${i}','stall:${id}',${stalled ? now - 60_000 : now + 30 * 24 * HOUR},${now},${now})`,
    );
  }
  const statements = [
    ...chunked(shipments, ROWS_PER_INSERT).map(
      (c) =>
        `INSERT INTO shipments (shop_id, order_id, id, carrier, tracking_number, status, status_at, shipped_at, delivered_at, last_movement_at, created_at, updated_at) VALUES ${c.join(',')}`,
    ),
    ...chunked(timers, ROWS_PER_INSERT).map(
      (c) =>
        `INSERT INTO flow_timers (shop_id, flow, order_id, step, due_at, created_at, updated_at) VALUES ${c.join(',')}`,
    ),
  ];
  await insertAll(d1, statements, (done) => progress.update(label, `${done}/${statements.length} insert statements`));
}

type Pass = { claimed: number; planned: number; rows_read: number; more: boolean; wall_ms: number };

export async function benchStalls({ quick }: { quick: boolean }): Promise<FigureResult> {
  const sizes = quick ? [1_000, 10_000] : [1_000, 100_000];
  const repeats = quick ? 1 : 3;
  const method = {
    runtime: 'workerd via the Miniflare API, every worker of wrangler.toml; cron triggers not fired',
    sizes: `${sizes.join(', ')} parcels in transit of one shop, ${STALLED} stalled (no movement for 100 h against the 72 h default threshold)`,
    pass: 'POST /v1/runs/shipment-followups (the gateway calls the worker over its service binding); at most 10 batches of 200 timers',
    repeats: `${repeats} per size (between repeats: messages deleted and the stalled checks made due again)`,
    rows_read: "the pass's own count: D1 meta.rows_read of its due-timer scans",
  };
  const gateway = await startGateway({ quietWorkerLogs: true });
  const results: { size: number; passes: Pass[]; wall_ms_median: number; rows_read_per_stalled: number }[] = [];
  try {
    const { shopId, apiKey } = await createShop(gateway);
    const d1 = await gateway.db();
    // No peak calendar: a peak would stretch the thresholds and change what counts as stalled.
    await fetch(new URL('/v1/shop', gateway.url), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ shipment_followups: { peaks: [] } }),
    });
    for (const size of sizes) {
      const label = `stalls: ${size.toLocaleString('en-US')} parcels`;
      await d1.batch([
        d1.prepare('DELETE FROM messages WHERE shop_id = ?').bind(shopId),
        d1.prepare('DELETE FROM flow_timers WHERE shop_id = ?').bind(shopId),
        d1.prepare('DELETE FROM shipments WHERE shop_id = ?').bind(shopId),
      ]);
      await seedParcels(d1, shopId, size, label);
      const passes: Pass[] = [];
      for (let r = 0; r < repeats; r++) {
        if (r > 0) {
          await d1.batch([
            d1.prepare('DELETE FROM messages WHERE shop_id = ?').bind(shopId),
            d1
              .prepare(
                `UPDATE flow_timers SET due_at = ? WHERE shop_id = ? AND CAST(substr(order_id, 3) AS INTEGER) < ?`,
              )
              .bind(Date.now() - 60_000, shopId, STALLED),
          ]);
        }
        progress.update(label, `pass ${r + 1}/${repeats}`);
        const t0 = performance.now();
        const res = await fetch(new URL('/v1/runs/shipment-followups', gateway.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}` },
        });
        const text = await res.text();
        if (res.status !== 200)
          throw new Error(`POST /v1/runs/shipment-followups answered ${res.status}: ${text.slice(0, 300)}`);
        const pass = { ...(JSON.parse(text) as Omit<Pass, 'wall_ms'>), wall_ms: performance.now() - t0 };
        if (pass.claimed !== STALLED || pass.more)
          throw new Error(`the pass claimed ${pass.claimed} of ${STALLED} stalled parcels`);
        passes.push(pass);
      }
      results.push({
        size,
        passes,
        wall_ms_median: median(passes.map((p) => p.wall_ms)),
        rows_read_per_stalled: Math.max(...passes.map((p) => p.rows_read / STALLED)),
      });
    }
  } finally {
    progress.clear();
    await gateway.stop();
  }
  const base = results[0]!;
  const largest = results.at(-1)!;
  const rows: Row[] = results.map((r) => ({
    label: `stalls: rows_read/stalled @${r.size / 1000}k`,
    value: r.rows_read_per_stalled,
    unit: '',
    baseline: null,
    ratio: null,
    target: `≤ ${STALL_TARGETS.rowsReadPerStalledMax} per stalled parcel`,
    status: check(r.rows_read_per_stalled, STALL_TARGETS.rowsReadPerStalledMax, 'max'),
  }));
  const ratio = largest.wall_ms_median / base.wall_ms_median;
  rows.push({
    label: `stalls: pass time @${largest.size / 1000}k`,
    value: largest.wall_ms_median,
    unit: 'ms',
    baseline: base.wall_ms_median,
    baselineLabel: '@1k',
    ratio,
    target: `ratio ≤ ${STALL_TARGETS.passTimeRatioMax.toFixed(2)}`,
    status: check(ratio, STALL_TARGETS.passTimeRatioMax, 'max'),
    ...(quick ? { note: 'quick: 10k is the largest' } : {}),
  });
  return {
    id: 'stalls',
    title: 'Stall-pass scaling',
    status: figureStatus(rows),
    method,
    metrics: { results },
    rows,
    notes: [],
  };
}
