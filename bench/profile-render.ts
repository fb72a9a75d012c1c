/**
 * `node bench/profile-render.ts [--impl orderbell|raw|raw-async] [--channel sms|email]
 * [--n 5000] [--no-keep-names]`: where the rendering figure's time goes. Bundles
 * bench/workers/render.ts exactly as the figure does (or without keep-names, to see what it costs),
 * imports that bundle into Node (V8, as in workerd), times every implementation of renderBatch (the
 * figure's two and the synchronous diagnostics), then CPU-profiles one with the inspector: prints
 * the functions with the most self and inclusive time, and writes the raw profile to os.tmpdir()
 * (open it in Chrome DevTools). A diagnostic, not a figure: `npm run bench` does not run it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { root } from '../scripts/lib/paths.ts';
import { bundleBenchWorker } from './lib/bundle.ts';
import { summarizeProfile, type CpuProfile } from './lib/cpu-profile.ts';

const { values } = parseArgs({
  options: {
    impl: { type: 'string', default: 'orderbell' },
    channel: { type: 'string', default: 'sms' },
    n: { type: 'string', default: '5000' },
    top: { type: 'string', default: '25' },
    // Bundle without esbuild's keepNames (wrangler's `keep_names`, on by default) to see what it costs.
    'no-keep-names': { type: 'boolean', default: false },
  },
});
const impl = values.impl as 'orderbell' | 'raw';
const channel = values.channel as 'sms' | 'email';
const n = Number(values.n);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'orderbell-bench-profile-'));
try {
  const bundle = await bundleBenchWorker(
    path.join(root, 'bench', 'workers', 'render.ts'),
    path.join(tmp, 'render.mjs'),
    { keepNames: !values['no-keep-names'] },
  );
  const worker = (await import(pathToFileURL(bundle).href)) as {
    renderBatch(impl: string, channel: string, n: number): Promise<{ renderLimitHits: number }>;
    IMPLS: readonly string[];
  };
  // orderbell's engine can throw LiquidJS's wall-clock renderLimit (50 ms) when the thread stalls.
  const attempt = async (which: string, count: number): Promise<boolean> => {
    try {
      const { renderLimitHits } = await worker.renderBatch(which, channel, count);
      if (renderLimitHits > 0) console.log(`${which} ${channel}: ${renderLimitHits} renders hit the renderLimit`);
      return true;
    } catch (error) {
      console.log(`${which} ${channel}: ${(error as Error).message}`);
      return false;
    }
  };
  // The figure's two implementations, then the synchronous variants (see bench/workers/render.ts),
  // each warmed up with a quarter batch first.
  for (const which of worker.IMPLS) {
    await attempt(which, Math.max(500, Math.round(n / 4)));
    const t0 = performance.now();
    if (!(await attempt(which, n))) continue;
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${which.padEnd(14)} ${channel}: ${Math.round(n / s).toLocaleString('en-US')} renders/s in Node (unprofiled)`,
    );
  }

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await attempt(impl, n);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const file = path.join(os.tmpdir(), `orderbell-render-${impl}-${channel}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));

  console.log(`\nprofile of ${impl}/${channel}, ${n} renders:`);
  console.log(summarizeProfile(profile as CpuProfile, Number(values.top)));
  console.log(`\nfull profile: ${file} (open it in Chrome DevTools' Performance panel)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
