/**
 * Figure 6, worker size and start-up (issue 16 item 5, `--only bundles`): each worker of wrangler.toml
 * bundled exactly as `wrangler deploy` would (`wrangler deploy --dry-run --outdir --metafile`), its
 * upload gzipped (every module wrangler wrote, source maps and the metafile excluded), what dominates
 * the bundle (esbuild's metafile, bytes in the output per package or project folder), and its start-up
 * time in workerd.
 *
 * Start-up: one Miniflare running only that worker's bundle (no bindings: module evaluation needs
 * none), timed from `new Miniflare` to `ready`, against the same for an empty worker in the same run,
 * alternating, median of the repeats. The difference is the worker's own parse and top-level
 * evaluation; workerd's own start is the baseline.
 *
 * Target: each worker ≤ 1 MB gzipped (Cloudflare's limits are 3 MB free and 10 MB paid, gzipped).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { configPath } from '../scripts/lib/paths.ts';
import { bundleModules } from '../scripts/lib/miniflare.ts';
import { readWorkers, runWrangler } from '../scripts/lib/wrangler.ts';
import { progress } from './lib/progress.ts';
import { check, figureStatus, type FigureResult, type Row } from './lib/report.ts';

export const BUNDLE_TARGETS = { gzipBytesMax: 1024 * 1024 } as const;

type Metafile = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };

/** `node_modules/@scope/pkg/...` → `@scope/pkg`; project files → their top folder (`shared/templates`). */
function ownerOf(input: string): string {
  const parts = input.split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) return parts[nm + 1]!.startsWith('@') ? `${parts[nm + 1]}/${parts[nm + 2]}` : parts[nm + 1]!;
  const clean = parts.filter((p) => p !== '..' && p !== '.');
  return clean.slice(0, clean[0] === 'shared' || clean[0] === 'workers' ? 2 : 1).join('/');
}

function dominant(metafile: Metafile, top = 4): { owner: string; bytes: number }[] {
  const byOwner = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner = ownerOf(input);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...byOwner]
    .map(([owner, bytes]) => ({ owner, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

function uploadSizes(dir: string): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile() || f.name.endsWith('.map') || f.name.endsWith('.json') || f.name === 'README.md') continue;
    const bytes = readFileSync(path.join(f.parentPath, f.name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

async function startupMs(
  modules: { type: 'ESModule' | 'CommonJS' | 'Text' | 'Data' | 'CompiledWasm'; path: string }[],
  modulesRoot: string,
  env: string,
) {
  const config = unstable_readConfig({ config: configPath, env });
  const t0 = performance.now();
  const worker = {
    name: env,
    modules,
    modulesRoot,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
  };
  const mf = new Miniflare(
    convertV4MiniflareOptions({ workers: [worker], log: new Log(LogLevel.NONE), cf: false, port: 0 }),
  );
  await mf.ready;
  const ms = performance.now() - t0;
  await mf.dispose();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

export async function benchBundles({ quick }: { quick: boolean }): Promise<FigureResult> {
  const repeats = quick ? 3 : 7;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'orderbell-bundles-'));
  try {
    const workers = readWorkers(configPath);
    const emptyDir = path.join(tmp, 'empty');
    rmSync(emptyDir, { recursive: true, force: true });
    const emptyEntry = path.join(tmp, 'empty.js');
    writeFileSync(emptyEntry, 'export default { fetch() { return new Response("ok"); } };\n');

    const rows: Row[] = [];
    const metrics: Record<string, unknown> = {};
    for (const worker of workers) {
      progress.update('bundles', `bundling ${worker.env}`);
      const outDir = path.join(tmp, worker.env);
      await runWrangler(['deploy', '--dry-run', '--env', worker.env, '--outdir', outDir, '--metafile']);
      const entry = path.join(outDir, path.basename(worker.main).replace(/\.[cm]?[jt]sx?$/, '') + '.js');
      statSync(entry);
      const metafile = JSON.parse(readFileSync(path.join(outDir, 'bundle-meta.json'), 'utf8')) as Metafile;
      const sizes = uploadSizes(outDir);
      const top = dominant(metafile);

      const own: number[] = [];
      const empty: number[] = [];
      for (let i = 0; i < repeats; i++) {
        progress.update('bundles', `${worker.env}: start-up ${i + 1}/${repeats}`);
        const modules = bundleModules(entry).filter((m) => !m.path.endsWith('.json'));
        if (i % 2 === 0) {
          own.push(await startupMs(modules, outDir, worker.env));
          empty.push(await startupMs([{ type: 'ESModule', path: emptyEntry }], tmp, worker.env));
        } else {
          empty.push(await startupMs([{ type: 'ESModule', path: emptyEntry }], tmp, worker.env));
          own.push(await startupMs(modules, outDir, worker.env));
        }
      }
      const startup = median(own);
      const baseline = median(empty);
      rows.push(
        {
          label: `${worker.env}: gzipped`,
          value: sizes.gzip / 1024,
          unit: 'KiB',
          baseline: null,
          baselineLabel: `${kib(sizes.raw)} raw; top: ${top
            .slice(0, 2)
            .map((t) => `${t.owner} ${kib(t.bytes)}`)
            .join(', ')}`,
          ratio: null,
          target: '≤ 1,024 KiB',
          status: check(sizes.gzip, BUNDLE_TARGETS.gzipBytesMax, 'max'),
        },
        {
          label: `${worker.env}: start-up`,
          value: startup,
          unit: 'ms',
          baseline,
          baselineLabel: 'empty worker',
          ratio: startup / baseline,
          target: '—',
          status: 'info',
        },
      );
      metrics[worker.env] = {
        raw_bytes: sizes.raw,
        gzip_bytes: sizes.gzip,
        dominant_inputs: top,
        startup_ms: own.map((x) => Math.round(x)),
        empty_worker_startup_ms: empty.map((x) => Math.round(x)),
        own_startup_ms: Math.round(startup - baseline),
      };
    }
    return {
      id: 'bundles',
      title: 'Worker bundle size and start-up',
      status: figureStatus(rows),
      method: {
        bundle: 'wrangler deploy --dry-run --env <worker> --outdir <tmp> --metafile (exactly what deploy uploads)',
        size: 'gzip level 9 of every module in the out dir (source maps and the metafile excluded), summed',
        dominant: 'esbuild metafile: bytesInOutput per npm package or project folder (shared/x, workers/x)',
        startup: `new Miniflare({modules of the bundle}) until ready, vs an empty worker; alternating, median of ${repeats}`,
      },
      metrics,
      rows,
      notes: [],
    };
  } finally {
    progress.clear();
    rmSync(tmp, { recursive: true, force: true });
  }
}
