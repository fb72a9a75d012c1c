/**
 * Starts the local stack exactly as a user does (`npm start`, in a child process with its own PORT
 * and ORDERBELL_STATE_DIR) and stops it again, whole process group at once. Used by the browser
 * tests' global setup; `npm test` has built the console already, so the stack does not rebuild it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const READY_TIMEOUT_MS = 150_000;

export type DemoShop = { shop_id: string; api_key: string; webhook_secret: string };
export type Stack = {
  baseUrl: string;
  /** The PORT the stack was started with. */
  port: number;
  shop: DemoShop;
  /** Everything `npm start` printed so far. */
  output(): string;
  /** Stops the whole process group (SIGTERM, then SIGKILL after 10 s) and removes a temporary state dir. */
  stop(): Promise<void>;
  /** A crash: SIGKILL to the whole process group (npm, node and workerd) at once, nothing flushed. */
  kill(): Promise<void>;
};

export type StackOptions = {
  /**
   * Keep the local state here, and keep it after stop/kill, so that a second stack started on the
   * same directory picks up where the first one died (the restart test). Default: a temporary dir.
   */
  stateDir?: string;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const tmp = options.stateDir
    ? path.dirname(options.stateDir)
    : mkdtempSync(path.join(os.tmpdir(), 'orderbell-stack-'));
  const stateDir = options.stateDir ?? path.join(tmp, 'state');
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      ORDERBELL_STATE_DIR: stateDir,
      ORDERBELL_CONSOLE_PREBUILT: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: npm, node and workerd are stopped together
  });
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      const timeout = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    if (!options.stateDir) rmSync(tmp, { recursive: true, force: true });
  };
  const kill = async () => {
    if (!running()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    // workerd may outlive npm by a moment: wait until no process of the group is left.
    for (let i = 0; i < 100 && groupAlive(child.pid!); i++) await new Promise((r) => setTimeout(r, 50));
  };
  let output = '';
  const collect = (chunk: Buffer) => void (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  try {
    const baseUrl = await waitForReady(child);
    // npm start saves the demo shop beside the state dir (scripts/lib/paths.ts) and prints it.
    const shop = JSON.parse(readFileSync(path.join(tmp, 'demo-shop.json'), 'utf8')) as DemoShop;
    return { baseUrl, port, shop, output: () => output, stop, kill };
  } catch (error) {
    await stop();
    throw error;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the URL from the ready line; rejects if npm start exits or takes too long. */
function waitForReady(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start not ready after ${READY_TIMEOUT_MS / 1000}s:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /orderbell ready on (http:\/\/\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}
