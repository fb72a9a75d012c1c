/** Wall-clock time in a shop's time zone, DST-safe, via @date-fns/tz. */
import { TZDate } from '@date-fns/tz';

export type LocalTime = { hour: number; minute: number };

export function parseLocalTime(hhmm: string): LocalTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}

/** The instant at `time` on the local calendar day of `instant` in `tz`, plus `dayOffset` days. */
export function atLocalTime(instant: Date, tz: string, time: LocalTime, dayOffset = 0): Date {
  const local = new TZDate(instant.getTime(), tz);
  return new Date(
    new TZDate(
      local.getFullYear(),
      local.getMonth(),
      local.getDate() + dayOffset,
      time.hour,
      time.minute,
      0,
      tz,
    ).getTime(),
  );
}

/** Minutes since local midnight of `instant` in `tz`. */
export function localMinutes(instant: Date, tz: string): number {
  const local = new TZDate(instant.getTime(), tz);
  return local.getHours() * 60 + local.getMinutes();
}

/** The local calendar date (YYYY-MM-DD) of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  const local = new TZDate(instant.getTime(), tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/**
 * When `instant` falls inside the quiet window `[start, end)` (which may cross
 * midnight, e.g. 21:00-08:00), the instant the window ends; otherwise null.
 */
export function quietUntil(instant: Date, tz: string, window: { start: string; end: string }): Date | null {
  const start = parseLocalTime(window.start);
  const end = parseLocalTime(window.end);
  const now = localMinutes(instant, tz);
  const s = start.hour * 60 + start.minute;
  const e = end.hour * 60 + end.minute;
  const crossesMidnight = s > e;
  const inside = crossesMidnight ? now >= s || now < e : now >= s && now < e;
  if (!inside) return null;
  // After the start on the evening side of a window that crosses midnight, the end is tomorrow.
  const dayOffset = crossesMidnight && now >= s ? 1 : 0;
  return atLocalTime(instant, tz, end, dayOffset);
}
