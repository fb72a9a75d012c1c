/**
 * `npx node bench/profile-peak.ts [--port 9233] [--top 12]`: where the peak replay's time goes.
 * Runs the quick peak figure (bench/peak.ts) with workerd's V8 inspector on 127.0.0.1 and
 * CPU-profiles every isolate from the first event until the run settles; prints each isolate's time
 * on the CPU (the local D1 is its own isolate) and its top functions by self time.
 */
import { parseArgs } from 'node:util';
import { benchPeak } from './peak.ts';
import { summarizeProfile, type CpuProfile } from './lib/cpu-profile.ts';
import { connectInspector } from './lib/inspector.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9233' },
    top: { type: 'string', default: '12' },
    inclusive: { type: 'boolean', default: false },
  },
});
const inspectorPort = Number(values.port);
const SAMPLE_US = 500;

type Session = { title: string; cdp: Awaited<ReturnType<typeof connectInspector>> };
let sessions: Session[] = [];
let started = 0;

const result = await benchPeak({
  quick: true,
  hooks: {
    inspectorPort,
    async beforeSend() {
      const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
        title: string;
        webSocketDebuggerUrl: string;
      }[];
      // Only the workers' own isolates, D1's and the queue broker's: the helper isolates (cache,
      // outbound, assets) do little, and one of them may never answer the inspector.
      const wanted = targets.filter((t) => /^workerd: worker (core:user:|d1:db$|queues:queue)/.test(t.title));
      sessions = await Promise.all(
        wanted.map(async (t) => ({ title: t.title, cdp: await connectInspector(t.webSocketDebuggerUrl) })),
      );
      for (const { cdp } of sessions) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_US });
        await cdp.send('Profiler.start');
      }
      started = performance.now();
    },
    async afterSettle() {
      const seconds = (performance.now() - started) / 1000;
      console.log(`\nprofiled ${seconds.toFixed(1)} s from the first event until settled`);
      for (const { title, cdp } of sessions) {
        const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop');
        cdp.close();
        const idle = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id);
        const busy = profile.samples.filter((id) => !idle.includes(id)).length;
        console.log(`\n== ${title}: on the CPU about ${((busy * SAMPLE_US) / 1e6).toFixed(1)} s`);
        const summary = summarizeProfile(profile, Number(values.top));
        console.log(values.inclusive ? summary : summary.split('\ninclusive')[0]);
      }
    },
  },
});
console.log(JSON.stringify(result.metrics, null, 1));
