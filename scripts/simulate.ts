/**
 * `npm run simulate -- --day 2026-11-11 [--shop ID] [--events file.ndjson] [--settings patch.json]
 *                      [--delivery settings.json] [--templates ver_a,ver_b] [--compare]
 *                      [--horizon 24] [--out report.json] [--key obk_...] [--url http://127.0.0.1:8787]`
 *
 * Starts a simulation through `POST /v1/simulations` on a running stack, shows a progress line while
 * it runs, prints the summary (the differences first when it compares) and writes the whole report
 * as JSON (default `simulation-<id>.json`). `--settings` takes a PATCH /v1/shop body; with any
 * override the run compares the shop as it is with the overrides, unless `--no-compare`.
 *
 * Defaults: the key is --key, else $ORDERBELL_API_KEY, else the demo shop `npm start` saved (whose
 * id must match --shop when given); --url is http://127.0.0.1:$PORT (8787).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readDemoShop } from './lib/demo-shop.ts';
import { baseUrl, demoShopFile, shown } from './lib/paths.ts';
import { printSummary, type SimulationView } from './lib/simulation-summary.ts';

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        shop: { type: 'string' },
        day: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        events: { type: 'string' },
        settings: { type: 'string' },
        delivery: { type: 'string' },
        templates: { type: 'string' },
        compare: { type: 'boolean' },
        'no-compare': { type: 'boolean' },
        horizon: { type: 'string' },
        out: { type: 'string' },
        key: { type: 'string' },
        url: { type: 'string' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

const readJson = (file: string) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    return fail(`cannot read ${file}: ${(error as Error).message}`);
  }
};

let key = args.key ?? process.env.ORDERBELL_API_KEY;
if (!key) {
  const demo = readDemoShop(demoShopFile);
  if (!demo) fail(`no API key: pass --key, set ORDERBELL_API_KEY, or run npm start (it saves ${shown(demoShopFile)})`);
  if (args.shop && args.shop !== demo.shop_id) fail(`--shop ${args.shop} is not the demo shop; pass its --key`);
  key = demo.api_key;
}
if (!args.day && !args.from && !args.events) fail('give --day YYYY-MM-DD, --from/--to, or --events file.ndjson');

const overrides: Record<string, unknown> = {};
if (args.settings) overrides.settings = readJson(args.settings);
if (args.delivery) overrides.delivery = readJson(args.delivery);
if (args.templates) overrides.template_versions = args.templates.split(',').filter(Boolean);
const hasOverrides = Object.keys(overrides).length > 0;
const compare = args['no-compare'] ? false : (args.compare ?? hasOverrides);

const body: Record<string, unknown> = {
  ...(args.day ? { day: args.day } : {}),
  ...(args.from ? { from: args.from, to: args.to } : {}),
  ...(args.horizon ? { horizon_hours: Number(args.horizon) } : {}),
  ...(args.events ? { events: readFileSync(args.events, 'utf8') } : {}),
  ...(hasOverrides ? { overrides } : {}),
  compare,
};

const base = (args.url ?? baseUrl).replace(/\/+$/, '');
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
async function call(path: string, init: RequestInit = {}) {
  try {
    return await fetch(`${base}${path}`, { ...init, headers });
  } catch (error) {
    const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    return fail(`cannot reach ${base} (is npm start running?): ${cause}`);
  }
}

const started = await call('/v1/simulations', { method: 'POST', body: JSON.stringify(body) });
if (started.status !== 202) {
  const text = await started.text();
  console.error(`simulate: ${started.status} ${text}`);
  process.exit(1);
}
const { id } = (await started.json()) as { id: string };
console.log(`simulation ${id}`);

const began = Date.now();
let run: SimulationView;
for (;;) {
  const res = await call(`/v1/simulations/${id}`);
  if (res.status !== 200) fail(`GET /v1/simulations/${id}: ${res.status} ${await res.text()}`);
  run = (await res.json()) as SimulationView;
  const width = 30;
  const filled = Math.round(run.progress * width);
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  process.stdout.write(
    `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(run.progress * 100)).padStart(3)}%  ${seconds} s  ${run.phase}`.padEnd(
      100,
    ),
  );
  if (run.status !== 'running') break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
process.stdout.write('\n');
if (run.status === 'failed' || !run.report) fail(`the simulation failed: ${run.error ?? 'no report'}`);

const out = args.out ?? `simulation-${id}.json`;
writeFileSync(out, `${JSON.stringify(run, null, 2)}\n`);
printSummary(run);
console.log(`\nreport: ${out}`);
