/**
 * The real gateway worker on workerd for the intake figure, with the rest of the system it binds:
 * every worker of wrangler.toml is bundled exactly as `wrangler deploy` would (scripts/lib/build.ts),
 * the D1 migrations are applied by wrangler into a fresh persist dir (scripts/lib/migrate.ts), and one
 * Miniflare runs them all with the bindings wrangler derives from each [env.*] block (the gateway
 * first, so it receives HTTP; its service bindings and queues need the other workers, as in
 * `npm start`). Cron triggers are not fired. Secrets are the bench's own random values, the same for
 * every worker, never .dev.vars. Everything lives under one temp dir in os.tmpdir(), removed by `stop()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from 'wrangler';
import { bundleWorkers } from '../../scripts/lib/build.ts';
import { bundleBenchWorker } from './bundle.ts';
import { bundleModules, withQuietWrangler } from '../../scripts/lib/miniflare.ts';
import { applyMigrations } from '../../scripts/lib/migrate.ts';
import { configPath } from '../../scripts/lib/paths.ts';
import { ENTRY_ENV, readWorkers, type WorkerConfig } from '../../scripts/lib/wrangler.ts';

export type BenchD1 = Awaited<ReturnType<Miniflare['getD1Database']>>;

export type Gateway = {
  url: URL;
  operatorToken: string;
  mf: Miniflare;
  worker: WorkerConfig;
  /** Every worker running beside the gateway (by env). */
  workers: string[];
  /**
   * The gateway's D1 binding through Miniflare's proxy, for seeding and resets while the stack is
   * idle: its calls are synchronous (see `query`).
   */
  db(): Promise<BenchD1>;
  /** One statement's rows from the gateway's D1, over HTTP (bench/workers/sql.ts): safe under load. */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
};

/** Runs fn with console.log silenced (the migrate helper prints a line that would break the progress line). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

/**
 * `inspectorPort`: expose workerd's V8 inspector on 127.0.0.1 (for bench/profile-intake.ts).
 * `quietWorkerLogs`: drop the workers' info/debug console lines (a reminder pass logs its counts),
 * which would break the progress line; warnings and errors are still printed, on stderr.
 */
/** A bench-only worker run beside the system on the same workerd, bound to the gateway's D1 as `DB`. */
export type BenchWorker = { name: string; entry: string; routes: string[] };
const SQL_PATH = '/__bench/sql';
/** Every bench stack's D1 reader (bench/workers/sql.ts). */
const SQL_WORKER: BenchWorker = {
  name: 'bench-sql',
  entry: path.join(import.meta.dirname, '..', 'workers', 'sql.ts'),
  routes: [`*${SQL_PATH}`],
};

export async function startGateway(
  opts: {
    inspectorPort?: number;
    quietWorkerLogs?: boolean;
    benchWorkers?: BenchWorker[];
    /** false: no worker consumes a queue (jobs wait), so only the route under load uses workerd's thread. */
    queueConsumers?: boolean;
  } = {},
): Promise<Gateway> {
  const workers = readWorkers(configPath); // the entry env (gateway) first
  const worker = workers[0]!;
  if (worker.env !== ENTRY_ENV) throw new Error(`wrangler.toml has no [env.${ENTRY_ENV}]`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'orderbell-bench-'));
  const stateDir = path.join(tmp, 'state');
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });

  try {
    const [entries] = await quietly(() =>
      Promise.all([bundleWorkers(workers, path.join(tmp, 'build')), applyMigrations(workers, stateDir)]),
    );

    const operatorToken = randomBytes(32).toString('hex');
    const secrets: Record<string, string> = {
      OPERATOR_TOKEN: operatorToken,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const workerOptions = workers.map((w) => {
      const { workerOptions: options } = withQuietWrangler(
        () => unstable_getMiniflareWorkerOptions(configPath, w.env),
        'error',
      );
      const required: string[] = unstable_readConfig({ config: configPath, env: w.env }).secrets?.required ?? [];
      // Every secret a worker declares gets the bench's value (one per name, shared by all workers).
      for (const name of required) secrets[name] ??= randomBytes(32).toString('hex');
      const { modulesRules: _rules, ...all } = options;
      const { queueConsumers: _consumers, ...withoutConsumers } = all;
      const rest = opts.queueConsumers === false ? withoutConsumers : all;
      const entry = entries.get(w.env)!;
      return {
        ...rest,
        name: w.name,
        modules: bundleModules(entry),
        modulesRoot: path.dirname(entry),
        bindings: {
          ...(rest.bindings as Record<string, unknown>),
          ...Object.fromEntries(required.map((name) => [name, secrets[name]!])),
        },
      };
    });
    const config = unstable_readConfig({ config: configPath, env: worker.env });
    const d1Id = worker.d1[0]?.id;
    const benchWorkers = await Promise.all(
      [...(opts.benchWorkers ?? []), SQL_WORKER].map(async (b) => {
        const outfile = await bundleBenchWorker(b.entry, path.join(tmp, 'bench', `${b.name}.js`));
        return {
          name: b.name,
          modules: [{ type: 'ESModule' as const, path: outfile }],
          modulesRoot: path.dirname(outfile),
          compatibilityDate: config.compatibility_date,
          compatibilityFlags: config.compatibility_flags,
          routes: b.routes,
          ...(d1Id ? { d1Databases: { DB: d1Id } } : {}),
        };
      }),
    );
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        host: '127.0.0.1',
        port: 0,
        workers: [...workerOptions, ...benchWorkers],
        resourcePersistencePath: path.join(stateDir, 'v3'),
        log: new Log(LogLevel.WARN),
        cf: false,
        // Compressed cron fires scheduled() through Miniflare's trigger route (scripts/lib/scheduled.ts).
        unsafeTriggerHandlers: true,
        ...(opts.inspectorPort === undefined ? {} : { inspectorPort: opts.inspectorPort }),
        ...(opts.quietWorkerLogs
          ? {
              handleStructuredLogs: (log: { level: string; message: string }) => {
                if (log.level === 'warn' || log.level === 'error')
                  process.stderr.write(`workerd ${log.level}: ${log.message}\n`);
              },
            }
          : {}),
      }),
    );
    let url: URL;
    try {
      url = await mf.ready;
    } catch (error) {
      await mf.dispose().catch(() => {});
      throw error;
    }
    const binding = worker.d1[0]?.binding;
    const query = async <T>(sql: string, ...params: unknown[]): Promise<T[]> => {
      const response = await fetch(new URL(SQL_PATH, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql, params }),
      });
      if (!response.ok) throw new Error(`bench SQL: HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()) as T[];
    };
    return {
      url,
      operatorToken,
      mf,
      worker,
      workers: workers.map((w) => w.env),
      async db() {
        if (!binding) throw new Error(`[env.${worker.env}] binds no D1 database`);
        return mf.getD1Database(binding, worker.name);
      },
      query,
      async stop() {
        try {
          await mf.dispose();
        } finally {
          cleanup();
        }
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Creates a shop through the operator API, as a user would; returns its id, webhook secret and admin API key. */
export async function createShop(gateway: Gateway): Promise<{ shopId: string; secret: string; apiKey: string }> {
  const response = await fetch(new URL('/v1/shops', gateway.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench Shop', timezone: 'Asia/Shanghai' }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/shops answered ${response.status}: ${text.slice(0, 300)}`);
  const shop = JSON.parse(text) as { shop_id: string; webhook_secret: string; api_key: string };
  return { shopId: shop.shop_id, secret: shop.webhook_secret, apiKey: shop.api_key };
}
