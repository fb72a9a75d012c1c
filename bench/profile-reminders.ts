/**
 * `node bench/profile-reminders.ts [--due 1000] [--backlog 1000] [--passes 3] [--port 9233] [--top 30]`: where the
 * reminder figure's pass time goes inside workerd. Starts the stack as the reminder figure does (no
 * queue consumers), with workerd's V8 inspector on 127.0.0.1, seeds one shop with `--backlog` unpaid
 * orders, `--due` of them due, and the due orders' customers the same way, and CPU-profiles every isolate (the unpaid-reminders
 * worker, the gateway, D1's object) while `POST /v1/runs/unpaid-reminders` passes run; prints each
 * pass's wall time, each isolate's time on CPU per pass, and the top functions of the busiest ones.
 * Time an isolate spends waiting is not sampled. A diagnostic, not a figure.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfile, type CpuProfile } from './lib/cpu-profile.ts';
import { connectInspector } from './lib/inspector.ts';
import { createShop, startGateway } from './lib/gateway.ts';
import { runPass, seedCustomers, seedOrders } from './reminders.ts';

const { values } = parseArgs({
  options: {
    due: { type: 'string', default: '1000' },
    backlog: { type: 'string', default: '1000' },
    passes: { type: 'string', default: '3' },
    port: { type: 'string', default: '9233' },
    top: { type: 'string', default: '30' },
  },
});
const inspectorPort = Number(values.port);
const due = Number(values.due);
const passes = Number(values.passes);
const INTERVAL_US = 200;

const gateway = await startGateway({ inspectorPort, quietWorkerLogs: true, queueConsumers: false });
try {
  const { shopId, apiKey } = await createShop(gateway);
  const d1 = await gateway.db();
  await seedCustomers(d1, shopId, due);
  await seedOrders(d1, shopId, 50, 50, 'warm-up');
  await runPass(gateway, apiKey);
  await d1.batch([
    d1.prepare('DELETE FROM messages WHERE shop_id = ?').bind(shopId),
    d1.prepare('DELETE FROM orders WHERE shop_id = ?').bind(shopId),
    d1.prepare('DELETE FROM flow_timers WHERE shop_id = ?').bind(shopId),
  ]);
  await seedOrders(d1, shopId, Math.max(due, Number(values.backlog)), due, 'seeding');

  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const sessions = await Promise.all(
    targets.map(async (t) => {
      const cdp = await connectInspector(t.webSocketDebuggerUrl);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
      return { title: t.title, cdp };
    }),
  );
  await Promise.all(sessions.map((s) => s.cdp.send('Profiler.start')));
  const walls: number[] = [];
  for (let p = 0; p < passes; p++) {
    if (p > 0) {
      await d1.batch([
        d1.prepare('DELETE FROM messages WHERE shop_id = ?').bind(shopId),
        d1
          .prepare(
            `UPDATE flow_timers SET due_at = ? WHERE shop_id = ? AND flow = 'unpaid-reminders' AND order_id LIKE 'due-%'`,
          )
          .bind(Date.now() - 60_000, shopId),
      ]);
    }
    const pass = await runPass(gateway, apiKey);
    if (pass.claimed !== due) throw new Error(`pass ${p + 1} claimed ${pass.claimed} of ${due}`);
    walls.push(pass.wall_ms);
  }
  const profiles = await Promise.all(
    sessions.map(async (s) => ({ title: s.title, ...(await s.cdp.send<{ profile: CpuProfile }>('Profiler.stop')) })),
  );
  for (const s of sessions) s.cdp.close();

  console.log(`passes over ${due} due orders: ${walls.map((w) => `${w.toFixed(0)} ms`).join(', ')}`);
  const busy = (p: CpuProfile) => {
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    return p.samples.filter((id) => !idle.has(id)).length;
  };
  const ranked = profiles.map((p) => ({ ...p, busy: busy(p.profile) })).sort((a, b) => b.busy - a.busy);
  for (const p of ranked) {
    console.log(`  ${p.title}: about ${((p.busy * INTERVAL_US) / 1000 / passes).toFixed(0)} ms on CPU per pass`);
  }
  for (const p of ranked.filter((r) => r.busy > 0).slice(0, 2)) {
    console.log(`\n== ${p.title}\n${summarizeProfile(p.profile, Number(values.top))}`);
    const file = path.join(os.tmpdir(), `orderbell-reminders-${p.title.replace(/\W+/g, '_')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(p.profile));
    console.log(`full profile: ${file}`);
  }
} finally {
  await gateway.stop();
}
