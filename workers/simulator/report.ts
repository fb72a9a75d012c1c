/**
 * A run's report, read from the private shop's rows after the clock stopped: messages per kind and
 * channel (planned, sent, skipped by reason, expired, deferred by quiet hours), sends per hour on
 * the shop's and the buyers' clocks, SMS parts and cost, reminders before or after their order's
 * cutoff, and a few rendered texts per kind and variant.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { messages, orders, type Shop, type TemplateContent } from '../../shared/db/schema';
import { deliverySettings, smsCost } from '../../shared/delivery/settings';
import { countSms } from '../../shared/templates/segments';
import { parseClockLabel } from '../../shared/time/buyer-clock';
import { shipDayFor } from '../../shared/time/shipping';
import { localMinutes } from '../../shared/time/zoned';
import type { Recording } from './clock';

export type KindChannelCounts = {
  kind: string;
  channel: string;
  planned: number;
  sent: number;
  skipped: Record<string, number>;
  cancelled: Record<string, number>;
  failed: Record<string, number>;
  expired: number;
  deferred_quiet_hours: number;
  /** Still waiting when the clock stopped (due after the end of the run). */
  pending: number;
};

export type Report = {
  events: number;
  orders: number;
  ticks: number;
  totals: { planned: number; sent: number; skipped: number; expired: number; deferred_quiet_hours: number };
  messages: KindChannelCounts[];
  /** Sends per hour of day (0-23) on the shop's clock and on each buyer's own clock. */
  hourly: { shop: number[]; buyer: number[] };
  /** Sends between 21:00 and 08:00 on the buyer's clock. */
  night_sends: number;
  sms: { messages: number; parts: number; cost: string | null; currency: string | null };
  reminders: { before_cutoff: number; after_cutoff: number; expired: number };
  samples: { kind: string; channel: string; variant: string | null; locale: string | null; text: string }[];
};

const SENT = new Set(['sent', 'delivered']);
const SAMPLES_PER_VARIANT = 2;
const add = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
const isNight = (minutes: number) => minutes >= 21 * 60 || minutes < 8 * 60;

function textOf(channel: string, rendered: TemplateContent | null): string {
  if (!rendered) return '';
  if ('body' in rendered) return rendered.body;
  if ('text' in rendered) return `${rendered.subject}\n\n${rendered.text}`;
  if ('markdown' in rendered) return rendered.markdown;
  return channel === 'webhook' && 'payload' in rendered ? rendered.payload : '';
}

export async function buildReport(d: Db, shop: Shop, recording: Recording): Promise<Report> {
  const rows = await d
    .select({
      id: messages.id,
      orderId: messages.orderId,
      kind: messages.kind,
      channel: messages.channel,
      status: messages.status,
      reason: messages.reason,
      variant: messages.variant,
      locale: messages.locale,
      rendered: messages.rendered,
      clock: messages.clock,
      sentAt: messages.sentAt,
    })
    .from(messages)
    .where(eq(messages.shopId, shop.id));
  const placed = new Map(
    (
      await d
        .select({ id: orders.id, placedAt: orders.placedAt, createdAt: orders.createdAt })
        .from(orders)
        .where(eq(orders.shopId, shop.id))
    ).map((o) => [o.id, o.placedAt ?? o.createdAt]),
  );
  const groups = new Map<string, KindChannelCounts>();
  const report: Report = {
    events: recording.events,
    orders: placed.size,
    ticks: recording.ticks,
    totals: { planned: 0, sent: 0, skipped: 0, expired: 0, deferred_quiet_hours: 0 },
    messages: [],
    hourly: { shop: Array(24).fill(0), buyer: Array(24).fill(0) },
    night_sends: 0,
    sms: { messages: 0, parts: 0, cost: null, currency: null },
    reminders: { before_cutoff: 0, after_cutoff: 0, expired: 0 },
    samples: [],
  };
  const sampled = new Map<string, number>();
  for (const m of rows) {
    const key = `${m.kind}\u0000${m.channel}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        kind: m.kind,
        channel: m.channel,
        planned: 0,
        sent: 0,
        skipped: {},
        cancelled: {},
        failed: {},
        expired: 0,
        deferred_quiet_hours: 0,
        pending: 0,
      };
      groups.set(key, g);
    }
    g.planned++;
    report.totals.planned++;
    if (recording.deferred.has(m.id)) {
      g.deferred_quiet_hours++;
      report.totals.deferred_quiet_hours++;
    }
    const reason = m.reason ?? 'none';
    if (m.reason === 'expired') {
      g.expired++;
      report.totals.expired++;
      if (m.kind === 'unpaid_reminder') report.reminders.expired++;
    }
    if (m.status === 'skipped') {
      add(g.skipped, reason);
      report.totals.skipped++;
    } else if (m.status === 'cancelled') add(g.cancelled, reason);
    else if (m.status === 'failed' || m.status === 'dead') add(g.failed, reason);
    else if (!SENT.has(m.status)) g.pending++;
    if (!SENT.has(m.status) || !m.sentAt) continue;
    g.sent++;
    report.totals.sent++;
    const shopMinutes = localMinutes(m.sentAt, shop.timezone);
    const buyerMinutes = localMinutes(m.sentAt, parseClockLabel(m.clock)?.zone ?? shop.timezone);
    report.hourly.shop[Math.floor(shopMinutes / 60)]!++;
    report.hourly.buyer[Math.floor(buyerMinutes / 60)]!++;
    if (isNight(buyerMinutes)) report.night_sends++;
    const text = textOf(m.channel, m.rendered);
    if (m.channel === 'sms') {
      report.sms.messages++;
      report.sms.parts += countSms(text).segments;
    }
    if (m.kind === 'unpaid_reminder') {
      const at = placed.get(m.orderId);
      const cutoff = at ? shipDayFor(at, shop).cutoffAt : undefined;
      if (cutoff && m.sentAt <= cutoff) report.reminders.before_cutoff++;
      else report.reminders.after_cutoff++;
    }
    const sampleKey = `${key}\u0000${m.variant ?? ''}`;
    if ((sampled.get(sampleKey) ?? 0) < SAMPLES_PER_VARIANT) {
      sampled.set(sampleKey, (sampled.get(sampleKey) ?? 0) + 1);
      report.samples.push({ kind: m.kind, channel: m.channel, variant: m.variant, locale: m.locale, text });
    }
  }
  const price = deliverySettings(shop.delivery).sms_price;
  if (price) report.sms = { ...report.sms, cost: smsCost(price, report.sms.parts), currency: price.currency };
  report.messages = [...groups.values()].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.channel.localeCompare(b.channel),
  );
  return report;
}
