/**
 * Builds other workers of wrangler.toml into auxiliary Miniflare workers, so a
 * worker's tests call the real thing behind a service binding (e.g. the
 * gateway's POST /v1/runs/unpaid-reminders) against the same D1 and queues.
 * Bundled by wrangler itself, exactly as `npm start` and deploy do.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { cloudflareTest } from '@cloudflare/vitest-plugin';
import { bundleWorkers } from '../../scripts/lib/build.ts';
import { readWorkers, type WorkerConfig } from '../../scripts/lib/wrangler.ts';

type PoolOptions = Exclude<Parameters<typeof cloudflareTest>[0], (...args: never[]) => unknown>;
export type AuxWorker = NonNullable<NonNullable<PoolOptions['miniflare']>['workers']>[number];

const outdir = mkdtempSync(path.join(tmpdir(), 'orderbell-aux-'));

export async function auxWorker(
  env: string,
  bindings: {
    queues?: Record<string, string>;
    services?: Record<string, string>;
    secrets?: Record<string, string>;
    /** Queues the worker consumes (as its wrangler env does), e.g. the simulator's own run queue. */
    consumers?: string[];
    /** Durable Object classes the worker exports, by binding (SQLite-backed). */
    durableObjects?: Record<string, string>;
    /** Serve the env's `[env.x.assets]` (directory and binding, read by readWorkers) as Static Assets. */
    assets?: boolean;
  } = {},
): Promise<AuxWorker> {
  const worker = readWorkers('./wrangler.toml').find((w) => w.env === env);
  if (!worker) throw new Error(`wrangler.toml has no [env.${env}]`);
  // A fresh directory per build: with several test files starting at once, a shared one would be
  // removed and rebuilt under a worker that is still loading it.
  const entry = (await bundleWorkers([worker], mkdtempSync(path.join(outdir, `${env}-`)))).get(env)!;
  return {
    name: worker.name,
    modules: true,
    scriptPath: entry,
    // Module paths are resolved under this root; the bundle lives outside the project.
    modulesRoot: path.dirname(entry),
    compatibilityDate: '2026-10-20',
    compatibilityFlags: ['nodejs_compat'],
    // Each D1 binding of the worker's env, by the id wrangler.toml gives it: the same id in the test's
    // main worker is the same database.
    d1Databases: Object.fromEntries(worker.d1.map((d) => [d.binding, d.id])),
    bindings: { ...worker.vars, ...bindings.secrets },
    serviceBindings: Object.fromEntries(
      Object.entries(bindings.services ?? {}).map(([name, service]) => [name, { name: service, entrypoint: 'Runs' }]),
    ),
    queueProducers: bindings.queues ?? {},
    ...(bindings.consumers ? { queueConsumers: bindings.consumers } : {}),
    ...(bindings.assets ? { assets: assetsOf(worker) } : {}),
    ...(bindings.durableObjects
      ? {
          durableObjects: Object.fromEntries(
            Object.entries(bindings.durableObjects).map(([name, className]) => [name, { className, useSQLite: true }]),
          ),
        }
      : {}),
  };
}

function assetsOf(worker: WorkerConfig) {
  if (!worker.assets) throw new Error(`wrangler.toml has no [env.${worker.env}.assets] directory`);
  return worker.assets;
}
