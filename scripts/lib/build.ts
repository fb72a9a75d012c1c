/**
 * Bundles each worker exactly as `wrangler deploy` would (esbuild, workerd conditions, nodejs_compat
 * polyfills, module rules, define), via `wrangler deploy --dry-run --outdir`, into
 * `<buildDir>/<env>/`. Workers are bundled in parallel; returns each worker's entry module.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runWrangler, type WorkerConfig } from './wrangler.ts';

export async function bundleWorkers(workers: WorkerConfig[], buildDir: string): Promise<Map<string, string>> {
  const entries = await Promise.all(
    workers.map(async (worker) => {
      const outDir = path.join(buildDir, worker.env);
      rmSync(outDir, { recursive: true, force: true });
      await runWrangler(['deploy', '--dry-run', '--env', worker.env, '--outdir', outDir]);
      // Wrangler names the bundle after the entry point: workers/x/index.ts -> index.js.
      const entry = path.join(outDir, path.basename(worker.main).replace(/\.[cm]?[jt]sx?$/, '') + '.js');
      if (!existsSync(entry)) throw new Error(`bundling [env.${worker.env}] produced no ${entry}`);
      return [worker.env, entry] as const;
    }),
  );
  return new Map(entries);
}
