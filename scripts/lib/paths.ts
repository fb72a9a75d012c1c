/**
 * Where the local stack keeps its files; shared by `npm start` and `npm run send-event`.
 *
 * - `.dev.vars` and `wrangler.toml` live in the project root (wrangler reads them there).
 * - Persisted D1/queue state lives in `$ORDERBELL_STATE_DIR`, default `.wrangler/state`
 *   (the same layout `wrangler d1 ... --local --persist-to` uses: `<state>/v3/d1`).
 * - Worker bundles and the demo shop's credentials live in `.orderbell/`, or, when
 *   ORDERBELL_STATE_DIR is set, in that directory's parent, so that a test run is fully isolated.
 */
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const configPath = path.join(root, 'wrangler.toml');
export const devVarsFile = path.join(root, '.dev.vars');

const stateOverride = process.env.ORDERBELL_STATE_DIR;
export const stateDir = path.resolve(root, stateOverride ?? '.wrangler/state');
const localDir = stateOverride ? path.dirname(stateDir) : path.join(root, '.orderbell');
export const buildDir = path.join(localDir, 'build');
export const demoShopFile = path.join(localDir, 'demo-shop.json');

export const host = '127.0.0.1';
export const port = Number(process.env.PORT ?? 8787);
export const baseUrl = `http://${host}:${port}`;
/**
 * Where links in messages point (address page, unsubscribe, receipts): PUBLIC_URL from the environment
 * when set (e.g. a tunnel), else the gateway's own local address, so it follows PORT.
 */
export const publicUrl = process.env.PUBLIC_URL ?? baseUrl;

/** A path as shown to the user: relative to the project root when inside it. */
export function shown(p: string): string {
  const rel = path.relative(root, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}
