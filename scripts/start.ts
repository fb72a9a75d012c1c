/**
 * `npm start`: the whole orderbell system, locally, on workerd.
 *
 * 1. `.dev.vars` gets OPERATOR_TOKEN and ENCRYPTION_KEY if it lacks them.
 * 2. D1 migrations are applied (by wrangler) while every worker is bundled (by wrangler).
 * 3. One Miniflare instance runs all the workers of wrangler.toml's `[env.*]` blocks, with their
 *    queues, service bindings and one persisted D1; the gateway listens on 127.0.0.1:$PORT (8787).
 * 4. Cron triggers fire at the minute boundary; a demo shop is created if no shop exists.
 *
 * Env: PORT, PUBLIC_URL (default http://127.0.0.1:$PORT, the address links in messages use),
 * ORDERBELL_STATE_DIR (default .wrangler/state; see scripts/lib/paths.ts).
 */
import { bundleWorkers } from './lib/build.ts';
import { startCronScheduler } from './lib/cron.ts';
import { fireScheduled } from './lib/scheduled.ts';
import { ensureDemoShop } from './lib/demo-shop.ts';
import { ensureDevVars } from './lib/dev-vars.ts';
import { applyMigrations } from './lib/migrate.ts';
import { SIGNALS, startMiniflare } from './lib/miniflare.ts';
import {
  baseUrl,
  buildDir,
  configPath,
  demoShopFile,
  devVarsFile,
  host,
  port,
  publicUrl,
  shown,
  stateDir,
} from './lib/paths.ts';
import { readWorkers } from './lib/wrangler.ts';

/** The part of a workerd Fetcher used here (Miniflare's own typing of it needs @cloudflare/workers-types). */

const started = performance.now();
const devVars = ensureDevVars(devVarsFile);
const workers = readWorkers(configPath);
console.log(`Workers: ${workers.map((w) => w.env).join(', ')}   state: ${shown(stateDir)}`);

const [entries] = await Promise.all([bundleWorkers(workers, buildDir), applyMigrations(workers, stateDir)]);
const mf = startMiniflare({ configPath, workers, entries, stateDir, host, port, publicUrl });
let stopCron = () => {};
let stopping = false;
for (const signal of SIGNALS) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    console.log(`\n${signal}: stopping orderbell...`);
    stopCron();
    mf.dispose().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
try {
  await mf.ready;
  stopCron = await startCronScheduler(
    workers.map((w) => ({ worker: w.name, crons: w.crons })),
    async (worker, cron, scheduledTime) => {
      return fireScheduled(mf, worker, cron, scheduledTime);
    },
  );
  const [gateway] = workers;
  const d1 = gateway!.d1[0];
  await ensureDemoShop({
    countShops: async () => {
      if (!d1) throw new Error(`[env.${gateway!.env}] binds no D1 database`);
      const db = await mf.getD1Database(d1.binding, gateway!.name);
      return (await db.prepare('SELECT count(*) AS n FROM shops').first<{ n: number }>())!.n;
    },
    baseUrl,
    operatorToken: devVars.OPERATOR_TOKEN!,
    file: demoShopFile,
  });
} catch (error) {
  stopCron();
  await mf.dispose().catch(() => {}); // rejects again with a startup error
  if ((error as { code?: string }).code !== 'ERR_ADDRESS_IN_USE') throw error;
  console.error(`${host}:${port} is already in use: stop the other server, or run with PORT=<another port>.`);
  process.exit(1);
}

const crons = workers.flatMap((w) => w.crons.map((c) => `${w.env} "${c}"`));
if (crons.length > 0) console.log(`Cron triggers (UTC): ${crons.join(', ')}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`orderbell ready on ${baseUrl}  (docs: /docs, OpenAPI: /openapi.json)  [${seconds}s]`);
