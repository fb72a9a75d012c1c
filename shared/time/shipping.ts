/**
 * Shipping days: the shop ships orders paid before its daily cutoff on a
 * shipping day the same day; otherwise on the next shipping day. Weekdays and
 * dated holidays in `non_shipping_days` shift the day. All in the shop's zone.
 */
import { TZDate } from '@date-fns/tz';
import { weekdays } from './validate';
import { atLocalTime, localDate, parseLocalTime } from './zoned';

export type ShippingCalendar = { timezone: string; shippingCutoff: string; nonShippingDays: string[] };

export type ShipDay = {
  /** Local date (YYYY-MM-DD) the parcel ships if paid at the given instant. */
  date: string;
  shipsToday: boolean;
  /** The cutoff instant on that shipping day. */
  cutoffAt: Date;
};

/** Looking further than this for a shipping day means the calendar has none. */
const MAX_DAYS = 60;

function weekdayOf(instant: Date, tz: string): (typeof weekdays)[number] {
  // getDay(): 0 = Sunday; `weekdays` starts on Monday.
  return weekdays[(new TZDate(instant.getTime(), tz).getDay() + 6) % 7]!;
}

export function isShippingDay(instant: Date, cal: ShippingCalendar): boolean {
  const closed = new Set(cal.nonShippingDays);
  return !closed.has(weekdayOf(instant, cal.timezone)) && !closed.has(localDate(instant, cal.timezone));
}

/** The shipping day for an order paid at `instant`. */
export function shipDayFor(instant: Date, cal: ShippingCalendar): ShipDay {
  const cutoff = parseLocalTime(cal.shippingCutoff);
  for (let offset = 0; offset < MAX_DAYS; offset++) {
    // Noon avoids DST edges when stepping whole days.
    const noon = atLocalTime(instant, cal.timezone, { hour: 12, minute: 0 }, offset);
    if (!isShippingDay(noon, cal)) continue;
    const cutoffAt = atLocalTime(instant, cal.timezone, cutoff, offset);
    if (offset === 0 && instant.getTime() >= cutoffAt.getTime()) continue;
    return { date: localDate(noon, cal.timezone), shipsToday: offset === 0, cutoffAt };
  }
  throw new Error(`no shipping day within ${MAX_DAYS} days`);
}

const zhWeek = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const enWeek = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const enMonth = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 今天 / 明天 / 11月12日（周四）, or today / tomorrow / Thu, Nov 12. */
export function shipDayLabel(day: ShipDay, now: Date, tz: string, locale: string): string {
  const zh = locale.toLowerCase().startsWith('zh');
  const today = localDate(now, tz);
  const tomorrow = localDate(atLocalTime(now, tz, { hour: 12, minute: 0 }, 1), tz);
  if (day.date === today) return zh ? '今天' : 'today';
  if (day.date === tomorrow) return zh ? '明天' : 'tomorrow';
  const [, month, date] = day.date.split('-').map(Number);
  const weekday = weekdays.indexOf(weekdayOf(day.cutoffAt, tz));
  return zh ? `${month}月${date}日（${zhWeek[weekday]}）` : `${enWeek[weekday]}, ${enMonth[month! - 1]} ${date}`;
}

/**
 * Until when a text with relative day words ("today", "tomorrow") written at `now` stays true: the next
 * local midnight in `tz`. Used as the send-by deadline of messages that carry them (docs/MESSAGE-CLASSES.md).
 */
export function dayWordsUntil(now: Date, tz: string): Date {
  return atLocalTime(now, tz, { hour: 0, minute: 0 }, 1);
}

/**
 * The send-by deadline of a text that says when an order paid at `now` ships: "pay before the cutoff and it
 * ships today" stops being true at the cutoff; "ships tomorrow" at midnight; a dated ship day at its cutoff.
 */
export function shipDaySendBy(day: ShipDay, now: Date, tz: string): Date {
  if (day.shipsToday) return day.cutoffAt;
  const relative = day.date === localDate(atLocalTime(now, tz, { hour: 12, minute: 0 }, 1), tz);
  const midnight = dayWordsUntil(now, tz);
  return relative && midnight.getTime() < day.cutoffAt.getTime() ? midnight : day.cutoffAt;
}
