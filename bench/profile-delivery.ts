/**
 * `node bench/profile-delivery.ts [--messages 300] [--port 9232] [--top 30]`: where the delivery
 * figure's time goes inside workerd. Starts the stack as the delivery figure does, with workerd's V8
 * inspector on 127.0.0.1, queues the same `shipped` messages to the same 50 ms fake provider, and
 * CPU-profiles the dispatcher isolate while they are sent; prints the functions with the most self and
 * inclusive time, the rate, and the sends in flight the provider saw. A diagnostic, not a figure.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { api, insertMessages, sendThrough } from './delivery.ts';
import { summarizeProfile, type CpuProfile } from './lib/cpu-profile.ts';
import { connectInspector } from './lib/inspector.ts';
import { startFakeProvider } from './lib/fake-provider.ts';
import { createShop, startGateway } from './lib/gateway.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '300' },
    port: { type: 'string', default: '9232' },
    top: { type: 'string', default: '30' },
    /** Which isolate to profile: the inspector target whose title ends with this (`d1:db`: the local D1). */
    target: { type: 'string', default: 'dispatcher' },
  },
});
const inspectorPort = Number(values.port);
const n = Number(values.messages);

const provider = await startFakeProvider();
const gateway = await startGateway({ inspectorPort, quietWorkerLogs: true });
try {
  const { shopId, apiKey } = await createShop(gateway);
  await api(gateway, apiKey, 'PUT', '/v1/delivery/settings', {
    default_route: ['webhook'],
    providers: { webhook: ['webhook'] },
  });
  await api(gateway, apiKey, 'PUT', '/v1/delivery/providers/webhook', {
    url: provider.url,
    secret: `whsec_${randomBytes(24).toString('base64')}`,
  });
  const d1 = await gateway.db();
  const tag = randomBytes(3).toString('hex');
  const warm = Array.from({ length: 20 }, (_, i) => `msg_warm_${tag}_${i}`);
  await insertMessages(d1, shopId, warm);
  await sendThrough(gateway, provider, shopId, warm, 'warm-up', 30_000);

  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.endsWith(values.target));
  if (!target) throw new Error(`no ${values.target} inspector target among ${targets.map((t) => t.title).join(', ')}`);
  const cdp = await connectInspector(target.webSocketDebuggerUrl);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const ids = Array.from({ length: n }, (_, i) => `msg_prof_${tag}_${i}`);
  await insertMessages(d1, shopId, ids);
  await cdp.send('Profiler.start');
  const run = await sendThrough(gateway, provider, shopId, ids, 'profiling', 300_000);
  const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop');
  cdp.close();
  const busyMs = profile.samples.length * 0.2;
  console.log(
    `delivery: ${n} messages in ${run.seconds.toFixed(2)} s = ${(n / run.seconds).toFixed(1)} msg/s; ` +
      `provider in flight max ${run.max_in_flight}, mean ${run.mean_in_flight}; ` +
      `dispatcher isolate on CPU about ${(busyMs / n).toFixed(2)} ms per message (${profile.samples.length} samples of 0.2 ms)`,
  );
  console.log(summarizeProfile(profile, Number(values.top)));
  const file = path.join(os.tmpdir(), 'orderbell-delivery.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  console.log(`\nfull profile: ${file} (open it in Chrome DevTools' Performance panel)`);
} finally {
  await gateway.stop();
  provider.server.closeAllConnections();
  provider.server.close();
}
