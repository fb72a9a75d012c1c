/**
 * Peak periods (Double 11, Double 12, the Spring Festival logistics pause):
 * parcels slow down, so buyers are warned shortly before, and stall thresholds
 * stretch while one lasts. Dates are the shop's local dates, inclusive.
 */
import { z } from '@hono/zod-openapi';
import { isoDateSchema } from '../time/validate';
import { atLocalTime, localDate } from '../time/zoned';

export const peakSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(40).openapi({ example: '双十一' }),
    start: isoDateSchema,
    end: isoDateSchema,
    /** Extra days in transit to tell the buyer. */
    delay_days: z.number().int().min(0).max(30),
  })
  .refine((p) => p.start <= p.end, { message: 'start must not be after end', path: ['end'] })
  .openapi('PeakPeriod');
export type Peak = z.infer<typeof peakSchema>;

/** Built-in defaults, used while a shop has not set its own calendar. */
export const defaultPeaks: Peak[] = [
  { name: '春节物流停运', start: '2026-02-10', end: '2026-02-24', delay_days: 5 },
  { name: '双十一', start: '2026-11-10', end: '2026-11-20', delay_days: 2 },
  { name: '双十二', start: '2026-12-11', end: '2026-12-18', delay_days: 1 },
  { name: '春节物流停运', start: '2027-01-30', end: '2027-02-13', delay_days: 5 },
  { name: '双十一', start: '2027-11-10', end: '2027-11-20', delay_days: 2 },
  { name: '双十二', start: '2027-12-11', end: '2027-12-18', delay_days: 1 },
];

/** The peak the shop's local date of `at` falls in, if any. */
export function peakAt(peaks: Peak[], at: Date, tz: string): Peak | undefined {
  const day = localDate(at, tz);
  return peaks.find((p) => p.start <= day && day <= p.end);
}

/** The next peak not yet over, with when its notice is due (`leadDays` before it starts, not before now). */
export function nextPeakNotice(peaks: Peak[], now: Date, tz: string, leadDays: number) {
  const today = localDate(now, tz);
  const peak = [...peaks].sort((a, b) => a.start.localeCompare(b.start)).find((p) => p.end >= today);
  if (!peak) return undefined;
  const start = startOf(peak, tz);
  const due = new Date(Math.max(now.getTime(), start.getTime() - leadDays * 86_400_000));
  return { peak, due };
}

/** Midnight at the start of the peak, shop time. */
function startOf(peak: Peak, tz: string): Date {
  const noon = new Date(`${peak.start}T12:00:00Z`);
  return atLocalTime(noon, tz, { hour: 0, minute: 0 });
}
