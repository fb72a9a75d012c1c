/**
 * `node bench/profile-intake.ts [--connections 20] [--seconds 5] [--route intake|noop]`: where the
 * intake figure's time goes inside workerd. Starts the gateway exactly as the figure does, with
 * workerd's V8 inspector on 127.0.0.1, CPU-profiles the worker (Chrome DevTools Protocol) while the
 * same signed order.created load runs, and prints the functions with the most self and inclusive
 * time. Time the isolate spends waiting (D1 is a separate object in workerd) is not sampled, so
 * the profile shows the worker's own CPU; the load's req/s and latency are printed beside it.
 * A diagnostic, not a figure: `npm run bench` does not run it.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfile, type CpuProfile } from './lib/cpu-profile.ts';
import { connectInspector } from './lib/inspector.ts';
import { createShop, startGateway } from './lib/gateway.ts';
import { runLoad } from './lib/load.ts';
import { signedOrderCreated } from './lib/webhook.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '5' },
    route: { type: 'string', default: 'intake' },
    port: { type: 'string', default: '9231' },
    top: { type: 'string', default: '30' },
  },
});
const inspectorPort = Number(values.port);

const gateway = await startGateway({ inspectorPort, queueConsumers: false });
try {
  const { shopId, secret } = await createShop(gateway);
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.includes(gateway.worker.name)) ?? targets[0];
  if (!target) throw new Error('workerd exposes no inspector target');
  const cdp = await connectInspector(target.webSocketDebuggerUrl);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });

  const next = signedOrderCreated(secret);
  const load = (label: string, seconds: number) =>
    values.route === 'noop'
      ? runLoad({ label, url: gateway.url, connections: Number(values.connections), seconds, path: '/healthz' })
      : runLoad({
          label,
          url: gateway.url,
          connections: Number(values.connections),
          seconds,
          method: 'POST',
          path: `/v1/webhooks/${shopId}`,
          next,
        });
  await load('warm-up', 2);
  await cdp.send('Profiler.start');
  const run = await load('profiling', Number(values.seconds));
  const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop');
  cdp.close();

  console.log(
    `${values.route}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50_ms.toFixed(2)} ms, p99 ${run.p99_ms.toFixed(2)} ms, ` +
      `statuses ${JSON.stringify(run.status_counts)}, ${run.connections} connections`,
  );
  console.log(summarizeProfile(profile, Number(values.top)));
  const file = path.join(os.tmpdir(), `orderbell-${values.route}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`\nfull profile: ${file} (open it in Chrome DevTools' Performance panel)`);
} finally {
  await gateway.stop();
}
