/** The summary `npm run simulate` prints: differences first, then each side's figures per kind and channel. */
type Counts = Record<string, number>;
type KindRow = {
  kind: string;
  channel: string;
  planned: number;
  sent: number;
  skipped: Counts;
  expired: number;
  deferred_quiet_hours: number;
};
export type Report = {
  events: number;
  orders: number;
  totals: Counts;
  messages: KindRow[];
  night_sends: number;
  sms: { parts: number; cost: string | null; currency: string | null };
  reminders: { before_cutoff: number; after_cutoff: number; expired: number };
};
export type SimulationView = {
  id: string;
  status: 'running' | 'done' | 'failed';
  progress: number;
  phase: string;
  error: string | null;
  report: {
    window: { from: string; to: string; until: string };
    result?: Report;
    baseline?: Report;
    proposal?: Report;
    differences?: { text: string }[];
  } | null;
};

const skipped = (s: Counts) =>
  Object.entries(s)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ') || '-';

function printReport(name: string, r: Report) {
  console.log(`\n${name}: ${r.events} events, ${r.orders} orders`);
  console.log(
    `  sent ${r.totals.sent}, skipped ${r.totals.skipped}, expired ${r.totals.expired}, deferred by quiet hours ${r.totals.deferred_quiet_hours}, at night ${r.night_sends}`,
  );
  console.log(
    `  reminders before the cutoff ${r.reminders.before_cutoff}, after ${r.reminders.after_cutoff}, expired ${r.reminders.expired}`,
  );
  console.log(`  SMS parts ${r.sms.parts}${r.sms.cost ? `, cost ${r.sms.cost} ${r.sms.currency}` : ''}`);
  for (const m of r.messages) {
    const line = `${m.kind} ${m.channel}`.padEnd(34);
    console.log(`    ${line} planned ${m.planned}, sent ${m.sent}, skipped: ${skipped(m.skipped)}`);
  }
}

export function printSummary(run: SimulationView) {
  const report = run.report!;
  console.log(`window ${report.window.from} .. ${report.window.to} (clock ran to ${report.window.until})`);
  if (report.differences) {
    console.log('\ndifferences (proposal against the shop as it is):');
    if (report.differences.length === 0) console.log('  none');
    for (const d of report.differences) console.log(`  ${d.text}`);
  }
  for (const side of ['result', 'baseline', 'proposal'] as const) {
    const r = report[side];
    if (r) printReport(side, r);
  }
}
