/**
 * `npm run bench [-- --quick] [-- --only intake,render]`: orderbell's benchmark suite (issue 7).
 *
 * Prints the machine context, a progress line while each figure runs, then one table of every
 * figure (value, baseline, ratio, target, result); writes bench/results.json; exits 1 when any
 * target is missed or a figure could not be measured. Figures whose flows have not landed are
 * shown as `not built` and do not fail the run. BENCHMARKS.md describes each method.
 *
 * --quick  a smoke run: short loads and small batches (numbers are indicative only)
 * --only   comma-separated figures: intake, render, reminders, delivery, stalls, bundles, peak, simulation (default: all)
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchIntake } from './intake.ts';
import { describeContext, machineContext } from './lib/context.ts';
import { progress } from './lib/progress.ts';
import { renderTable, type FigureResult } from './lib/report.ts';
import { benchBundles } from './bundles.ts';
import { benchDelivery } from './delivery.ts';
import { benchReminders } from './reminders.ts';
import { benchRender } from './render.ts';
import { benchSimulation } from './simulation.ts';
import { benchStalls } from './stalls.ts';
import { benchPeak } from './peak.ts';

const FIGURES = {
  intake: (quick: boolean) => benchIntake({ quick }),
  reminders: (quick: boolean) => benchReminders({ quick }),
  render: (quick: boolean) => benchRender({ quick }),
  delivery: (quick: boolean) => benchDelivery({ quick }),
  stalls: (quick: boolean) => benchStalls({ quick }),
  bundles: (quick: boolean) => benchBundles({ quick }),
  peak: (quick: boolean) => benchPeak({ quick }),
  simulation: (quick: boolean) => benchSimulation({ quick }),
} satisfies Record<string, (quick: boolean) => Promise<FigureResult>>;
type FigureId = keyof typeof FIGURES;

const titles: Record<FigureId, string> = {
  intake: 'Intake',
  reminders: 'Reminder-pass scaling',
  render: 'Rendering',
  delivery: 'Delivery',
  stalls: 'Stall-pass scaling',
  bundles: 'Worker size and start-up',
  peak: 'Peak-day replay',
  simulation: 'Simulation speed',
};

function usage(message?: string): never {
  if (message) console.error(`bench: ${message}`);
  console.error(
    'usage: npm run bench -- [--quick] [--only intake,render,reminders,delivery,stalls,bundles,peak,simulation]',
  );
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean' } },
  }).values;
} catch (error) {
  usage((error as Error).message);
}
if (args.help) usage();
const selected = (args.only ? args.only.split(',').map((s) => s.trim()) : Object.keys(FIGURES)) as FigureId[];
for (const id of selected) if (!(id in FIGURES)) usage(`unknown figure "${id}"`);
const quick = args.quick ?? false;

const started = performance.now();
const context = machineContext();
console.log(`orderbell bench${quick ? ' (--quick: a smoke run; numbers are indicative only)' : ''}`);
console.log(describeContext(context));
console.log('');

const figures: FigureResult[] = [];
for (const id of Object.keys(FIGURES) as FigureId[]) {
  if (!selected.includes(id)) continue;
  const t0 = performance.now();
  try {
    figures.push(await FIGURES[id](quick));
  } catch (error) {
    progress.clear();
    const message = (error as Error).stack ?? String(error);
    console.error(`${titles[id]}: could not be measured:\n${message}\n`);
    figures.push({
      id,
      title: titles[id],
      status: 'error',
      method: {},
      metrics: {},
      rows: [
        {
          label: id,
          value: null,
          unit: '',
          baseline: null,
          ratio: null,
          target: '—',
          status: 'error',
          note: (error as Error).message.split('\n')[0]!.slice(0, 80),
        },
      ],
      notes: [],
      error: message,
    });
  }
  const figure = figures.at(-1)!;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (figure.status !== 'not built') console.log(`${titles[id]}: ${figure.status} (${seconds} s)`);
}

console.log('');
console.log(renderTable(figures));
const notes = figures.flatMap((f) => f.notes.filter((n) => !n.startsWith('not built')).map((n) => `${f.id}: ${n}`));
if (notes.length > 0) console.log(['', 'Notes:', ...notes.map((n) => `  - ${n}`)].join('\n'));

const failed = figures.filter((f) => f.status === 'fail' || f.status === 'error');
const totalSeconds = (performance.now() - started) / 1000;
const results = {
  generated_at: new Date().toISOString(),
  quick,
  duration_seconds: Math.round(totalSeconds * 10) / 10,
  machine: { ...context, load_average_1m_at_end: Math.round(os.loadavg()[0]! * 100) / 100 },
  passed: failed.length === 0,
  figures,
};
const file = path.join(import.meta.dirname, 'results.json');
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log('');
console.log(
  `${failed.length === 0 ? 'All measured targets met' : `Missed: ${failed.map((f) => f.id).join(', ')}`}` +
    ` · ${totalSeconds.toFixed(0)} s · results in bench/results.json`,
);
process.exit(failed.length === 0 ? 0 : 1);
