/**
 * Bundles a bench worker (bench/workers/*.ts) with esbuild using the options `wrangler deploy` uses for
 * orderbell's workers (ESM, es2024, the workerd/worker/browser conditions, browser platform, so LiquidJS
 * resolves to the same build as in the gateway; NODE_ENV=production; keepNames), into one ES module.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { root } from '../../scripts/lib/paths.ts';

/** `keepNames: false` is for diagnostics only (bench/profile-render.ts); wrangler's default is true. */
export async function bundleBenchWorker(
  entry: string,
  outfile: string,
  opts: { keepNames?: boolean } = {},
): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    target: 'es2024',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*', 'cloudflare:*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    keepNames: opts.keepNames ?? true,
    sourcemap: 'linked',
    logLevel: 'error',
    tsconfig: path.join(root, 'tsconfig.json'),
  });
  return outfile;
}
