/**
 * Everything the local stack learns from wrangler.toml, and running the wrangler CLI itself.
 *
 * Each `[env.<name>]` block is one worker; they are discovered from the config, never listed here,
 * so a new block joins `npm start` without touching this script.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unstable_readConfig } from 'wrangler';
import { root } from './paths.ts';

/** The env whose worker receives HTTP on 127.0.0.1:$PORT. */
export const ENTRY_ENV = 'gateway';

type RawD1 = { binding: string; database_id?: string; preview_database_id?: string; migrations_dir?: string };

export type D1Config = { binding: string; id: string; migrationsDir?: string };

export type WorkerConfig = {
  env: string;
  /** The worker's script name (`name` in its env block); service bindings address it by this. */
  name: string;
  /** Absolute path of the TypeScript entry point. */
  main: string;
  crons: string[];
  d1: D1Config[];
  /** Plain-text `[env.x.vars]`. */
  vars: Record<string, string>;
  /** `[env.x.assets]`: the directory (absolute) and the binding name, when the worker serves static files. */
  assets?: { directory: string; binding?: string };
};

/** Every `[env.*]` block of the config, the entry env first. */
export function readWorkers(configPath: string): WorkerConfig[] {
  const envs: string[] = unstable_readConfig({ config: configPath }).definedEnvironments ?? [];
  if (!envs.includes(ENTRY_ENV)) throw new Error(`${configPath} has no [env.${ENTRY_ENV}] block`);
  const ordered = [ENTRY_ENV, ...envs.filter((env) => env !== ENTRY_ENV)];
  return ordered.map((env: string): WorkerConfig => {
    const config = unstable_readConfig({ config: configPath, env });
    if (!config.main) throw new Error(`[env.${env}] in ${configPath} has no "main"`);
    return {
      env,
      name: config.name ?? `orderbell-${env}`,
      main: path.resolve(path.dirname(configPath), config.main),
      crons: config.triggers?.crons ?? [],
      vars: Object.fromEntries(Object.entries(config.vars ?? {}).map(([k, v]) => [k, String(v)])),
      ...(config.assets?.directory
        ? {
            assets: {
              directory: path.resolve(path.dirname(configPath), config.assets.directory),
              ...(config.assets.binding ? { binding: config.assets.binding } : {}),
            },
          }
        : {}),
      d1: (config.d1_databases as RawD1[]).map((db) => ({
        binding: db.binding,
        // Wrangler's local D1 is keyed by this id (see `wrangler d1 execute --local`).
        id: db.preview_database_id ?? db.database_id ?? db.binding,
        migrationsDir: db.migrations_dir,
      })),
    };
  });
}

const wranglerBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
);

/**
 * Runs `wrangler <args>` in the project root with the same node, non-interactively (stdin is not a
 * TTY, so nothing prompts), and resolves with its combined output; rejects with it on failure.
 */
export function runWrangler(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`wrangler ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}
