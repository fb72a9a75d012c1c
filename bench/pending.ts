/**
 * Figures whose flows have not landed yet (issue 7 items 2 and 4). They are printed and recorded as
 * `not built`, visibly, and never counted as failures; each names the issue that brings its flow.
 */
import type { FigureResult } from './lib/report.ts';

export function notBuilt(id: string, title: string, needs: string, targets: string[]): FigureResult {
  return {
    id,
    title,
    status: 'not built',
    method: {},
    metrics: {},
    rows: targets.map((target) => ({
      label: `${id}: ${target.split(':')[0]}`,
      value: null,
      unit: '',
      baseline: null,
      ratio: null,
      target: target.split(':').slice(1).join(':').trim(),
      status: 'not built' as const,
      note: `needs ${needs}`,
    })),
    notes: [`not built: needs ${needs}`],
  };
}

export const reminderPasses = () =>
  notBuilt('reminders', 'Reminder-pass scaling (1k/10k/100k unpaid backlog, 1k due)', 'issue 5', [
    'rows_read per due order: ≤ 2 at every backlog',
    'pass time 100k vs 1k: ≤ 1.25×',
  ]);

export const delivery = () =>
  notBuilt('delivery', 'Delivery through the dispatcher to a 50 ms fake provider', 'issue 4', [
    'messages/s vs concurrency bound: ≥ 0.80×',
    'duplicates at the fake provider: = 0',
  ]);
