/**
 * One Miniflare (workerd) instance running every worker of wrangler.toml.
 *
 * Each worker's bindings (D1, queues, vars, service bindings, and secrets from .dev.vars) come from
 * wrangler's own translation of its env block, `unstable_getMiniflareWorkerOptions`; the script is
 * the bundle from build.ts. All resources persist under `<stateDir>/v3` (D1 in `<stateDir>/v3/d1`),
 * the directory `wrangler d1 migrations apply --local --persist-to <stateDir>` writes to, so the
 * workers see the migrated database. The entry env's worker comes first and receives HTTP.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { scrubCapabilities } from '../../shared/text/capabilities.ts';
import type { WorkerConfig } from './wrangler.ts';

/** Miniflare's request log without capability URLs: address-link tokens, unsubscribe ids, push tokens. */
class CapabilityFreeLog extends Log {
  override logWithLevel(level: LogLevel, message: string): void {
    super.logWithLevel(level, scrubCapabilities(message));
  }
}

export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function startMiniflare(opts: {
  configPath: string;
  workers: WorkerConfig[];
  entries: Map<string, string>;
  stateDir: string;
  host: string;
  port: number;
  /** Replaces every worker's PUBLIC_URL var (wrangler.toml's says port 8787), so links follow PORT. */
  publicUrl: string;
}): Miniflare {
  const workers = opts.workers.map((worker) => {
    const { workerOptions } = withQuietWrangler(() => unstable_getMiniflareWorkerOptions(opts.configPath, worker.env));
    // The bundle already applied the module rules; Miniflare 5 takes the resulting modules as a list.
    if (workerOptions.bindings) {
      workerOptions.bindings = withPublicUrl(
        workerOptions.bindings as Record<string, unknown>,
        opts.publicUrl,
      ) as typeof workerOptions.bindings;
    }
    const { modulesRules: _rules, ...bindings } = workerOptions;
    const entry = opts.entries.get(worker.env)!;
    return { ...bindings, name: worker.name, modules: bundleModules(entry), modulesRoot: path.dirname(entry) };
  });
  // Miniflare's own SIGINT/SIGTERM/SIGHUP listeners kill workerd and exit with 130/143 at once;
  // the caller disposes it cleanly instead, so those listeners are removed again (its process
  // 'exit' hook stays as a safety net).
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: opts.host,
      port: opts.port,
      workers,
      resourcePersistencePath: path.join(opts.stateDir, 'v3'),
      log: new CapabilityFreeLog(LogLevel.INFO),
      cf: false, // a placeholder request.cf: fetching the real one needs the internet
      // The cron scheduler fires scheduled() through Miniflare's trigger route (scripts/lib/scheduled.ts).
      unsafeTriggerHandlers: true,
    }),
  );
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mf;
}

type ModuleType = 'ESModule' | 'CommonJS' | 'Text' | 'Data' | 'CompiledWasm';
const moduleTypes: Record<string, ModuleType> = {
  '.js': 'ESModule',
  '.mjs': 'ESModule',
  '.cjs': 'CommonJS',
  '.wasm': 'CompiledWasm',
  '.bin': 'Data',
};

/** The entry module first, then any additional modules wrangler wrote beside it (text, wasm, data). */
export function bundleModules(entry: string): { type: ModuleType; path: string }[] {
  const dir = path.dirname(entry);
  const others = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !f.name.endsWith('.map') && f.name !== 'README.md')
    .map((f) => path.join(f.parentPath, f.name))
    .filter((file) => file !== entry);
  return [entry, ...others].map((file) => ({ type: moduleTypes[path.extname(file)] ?? 'Text', path: file }));
}

/** Runs fn with wrangler's logger at "warn", hiding one "Using secrets defined in .dev.vars" per worker. */
export function withQuietWrangler<T>(fn: () => T, level = 'warn'): T {
  const previous = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = level;
  try {
    return fn();
  } finally {
    if (previous === undefined) delete process.env.WRANGLER_LOG;
    else process.env.WRANGLER_LOG = previous;
  }
}

/** The worker's plain bindings with PUBLIC_URL set to `publicUrl`, for the workers that declare it. */
export function withPublicUrl(vars: Record<string, unknown>, publicUrl: string): Record<string, unknown> {
  if (!Object.hasOwn(vars, 'PUBLIC_URL')) return vars;
  return { ...vars, PUBLIC_URL: publicUrl };
}
