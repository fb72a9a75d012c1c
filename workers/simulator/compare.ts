/**
 * The side-by-side of a comparison: every figure that differs between the baseline and the
 * proposal, headline figures first, each with a sentence such as "+312 reminders sent before the
 * cutoff" or "+¥18.20 SMS cost". Figures that are equal are left out.
 */
import type { Report } from './report';

export type Difference = { metric: string; baseline: number | string; proposal: number | string; text: string };

const symbols: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', JPY: '¥' };
const signed = (n: number) => (n > 0 ? `+${n}` : `−${-n}`);

/** A decimal string in 1/10000 units (sms costs have at most 4 decimals). */
const units = (amount: string | null) => {
  if (!amount) return 0;
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
};

function money(tenThousandths: number, currency: string) {
  const sign = tenThousandths < 0 ? '−' : '+';
  const abs = Math.abs(tenThousandths);
  const text = `${Math.floor(abs / 10_000)}.${String(abs % 10_000).padStart(4, '0')}`.replace(/0{1,2}$/, '');
  const symbol = Object.hasOwn(symbols, currency) ? symbols[currency]! : `${currency} `;
  return `${sign}${symbol}${text}`;
}

export function compareReports(baseline: Report, proposal: Report): Difference[] {
  const out: Difference[] = [];
  const figure = (metric: string, a: number, b: number, phrase: string) => {
    if (a !== b) out.push({ metric, baseline: a, proposal: b, text: `${signed(b - a)} ${phrase}` });
  };
  figure(
    'reminders.before_cutoff',
    baseline.reminders.before_cutoff,
    proposal.reminders.before_cutoff,
    'reminders sent before the cutoff',
  );
  figure(
    'reminders.after_cutoff',
    baseline.reminders.after_cutoff,
    proposal.reminders.after_cutoff,
    'reminders sent after the cutoff',
  );
  figure('night_sends', baseline.night_sends, proposal.night_sends, 'sends at night (21:00-08:00, buyer’s clock)');
  const currency = proposal.sms.currency ?? baseline.sms.currency;
  const costDelta = units(proposal.sms.cost) - units(baseline.sms.cost);
  if (currency && costDelta !== 0) {
    out.push({
      metric: 'sms.cost',
      baseline: baseline.sms.cost ?? '0',
      proposal: proposal.sms.cost ?? '0',
      text: `${money(costDelta, currency)} SMS cost`,
    });
  }
  figure('sms.parts', baseline.sms.parts, proposal.sms.parts, 'SMS parts');
  for (const key of ['sent', 'skipped', 'expired', 'deferred_quiet_hours'] as const) {
    figure(`totals.${key}`, baseline.totals[key], proposal.totals[key], `messages ${key.replaceAll('_', ' ')}`);
  }
  const groups = new Map<string, [Report['messages'][number] | undefined, Report['messages'][number] | undefined]>();
  for (const g of baseline.messages) groups.set(`${g.kind} ${g.channel}`, [g, undefined]);
  for (const g of proposal.messages)
    groups.set(`${g.kind} ${g.channel}`, [groups.get(`${g.kind} ${g.channel}`)?.[0], g]);
  for (const [name, [a, b]] of groups) {
    figure(`${name}.sent`, a?.sent ?? 0, b?.sent ?? 0, `${name} sent`);
    figure(
      `${name}.deferred_quiet_hours`,
      a?.deferred_quiet_hours ?? 0,
      b?.deferred_quiet_hours ?? 0,
      `${name} deferred by quiet hours`,
    );
    const reasons = new Set([...Object.keys(a?.skipped ?? {}), ...Object.keys(b?.skipped ?? {})]);
    for (const reason of [...reasons].sort()) {
      const before = a && Object.hasOwn(a.skipped, reason) ? a.skipped[reason]! : 0;
      const after = b && Object.hasOwn(b.skipped, reason) ? b.skipped[reason]! : 0;
      figure(`${name}.skipped.${reason}`, before, after, `${name} skipped as ${reason}`);
    }
  }
  return out;
}
