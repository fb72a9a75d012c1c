/**
 * The machine context printed with every run and stored in results.json: cores, CPU, memory, and the
 * versions of Node, workerd and the packages the figures depend on. Absolute figures only mean
 * something next to this; the targets are ratios against baselines measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { root } from '../../scripts/lib/paths.ts';

export type MachineContext = {
  cores: number;
  cpu: string;
  memory_gib: number;
  platform: string;
  node: string;
  /** `workerd --version` (the runtime's own build date) and the npm package version. */
  workerd: string;
  workerd_package: string;
  packages: Record<string, string>;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  load_average_1m: number;
};

const require = createRequire(path.join(root, 'package.json'));

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function workerdVersion(): string {
  try {
    const bin = path.join(root, 'node_modules', '.bin', 'workerd');
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineContext(): MachineContext {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    workerd: workerdVersion(),
    workerd_package: packageVersion('workerd'),
    load_average_1m: Math.round(os.loadavg()[0]! * 100) / 100,
    packages: Object.fromEntries(
      ['miniflare', 'wrangler', 'liquidjs', 'autocannon', 'esbuild'].map((name) => [name, packageVersion(name)]),
    ),
  };
}

export function describeContext(ctx: MachineContext): string {
  const pkgs = Object.entries(ctx.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    `Machine: ${ctx.cores} cores (${ctx.cpu}), ${ctx.memory_gib} GiB, ${ctx.platform}`,
    `Runtime: Node ${ctx.node}, ${ctx.workerd} (npm workerd ${ctx.workerd_package})`,
    `Packages: ${pkgs}`,
    `Load average (1 min) at start: ${ctx.load_average_1m}` +
      (ctx.load_average_1m > ctx.cores / 2 ? '  (busy machine: expect noisy figures)' : ''),
  ].join('\n');
}
