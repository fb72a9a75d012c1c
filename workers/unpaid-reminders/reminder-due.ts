/**
 * When an unpaid order's reminders are due, computed at intake and whenever
 * the shop's settings change.
 *
 * Cutoff reminder: `reminder_lead_minutes` before the cutoff of the shipping
 * day the order aims at (today's, or the next shipping day's when placed after
 * the cutoff or on a non-shipping day); never before the order is
 * `reminder_min_order_age_minutes` old. If that leaves no time before the
 * cutoff, or quiet hours reach past the cutoff, the reminder aims at the next
 * shipping day's window instead. Inside quiet hours it moves to the window's end.
 *
 * Pre-close reminder: `preclose_lead_minutes` before `auto_close_at`, under the
 * same age and quiet-hour rules, dropped when it would come within
 * `preclose_min_gap_minutes` of the cutoff reminder or after the close.
 */
import type { QuietHours } from '../../shared/db/schema';
import { shipDayFor, type ShippingCalendar } from '../../shared/time/shipping';
import { quietUntil } from '../../shared/time/zoned';
import { reminderSettings, type ReminderSettings } from '../../shared/orders/reminder-settings';

export type ReminderShop = ShippingCalendar & {
  reminderLeadMinutes: number;
  reminderMinOrderAgeMinutes: number;
  quietHours: QuietHours;
  reminders: ReminderSettings;
};

const MINUTE = 60_000;
/** How many shipping days ahead a reminder may aim before giving up. */
const MAX_WINDOWS = 7;

function outOfQuietHours(at: Date, shop: ReminderShop): Date {
  return quietUntil(at, shop.timezone, shop.quietHours) ?? at;
}

export function cutoffReminderAt(placedAt: Date, shop: ReminderShop): Date | null {
  const earliest = new Date(placedAt.getTime() + shop.reminderMinOrderAgeMinutes * MINUTE);
  let from = placedAt;
  for (let i = 0; i < MAX_WINDOWS; i++) {
    const day = shipDayFor(from, shop);
    const lead = new Date(day.cutoffAt.getTime() - shop.reminderLeadMinutes * MINUTE);
    const due = outOfQuietHours(lead < earliest ? earliest : lead, shop);
    if (due < day.cutoffAt) return due;
    from = new Date(day.cutoffAt.getTime() + 1);
  }
  return null;
}

export function precloseReminderAt(
  placedAt: Date,
  autoCloseAt: Date | null,
  cutoffDue: Date | null,
  shop: ReminderShop,
): Date | null {
  const rules = shop.reminders;
  if (!rules.preclose_enabled || !autoCloseAt) return null;
  const earliest = new Date(placedAt.getTime() + shop.reminderMinOrderAgeMinutes * MINUTE);
  const lead = new Date(autoCloseAt.getTime() - rules.preclose_lead_minutes * MINUTE);
  const due = outOfQuietHours(lead < earliest ? earliest : lead, shop);
  if (due >= autoCloseAt) return null;
  if (cutoffDue && Math.abs(due.getTime() - cutoffDue.getTime()) < rules.preclose_min_gap_minutes * MINUTE) return null;
  return due;
}

/** Both due times for an unpaid order placed at `placedAt`. */
export function reminderDueTimes(placedAt: Date, autoCloseAt: Date | null, shop: ReminderShop) {
  const reminderDueAt = cutoffReminderAt(placedAt, shop);
  return { reminderDueAt, precloseDueAt: precloseReminderAt(placedAt, autoCloseAt, reminderDueAt, shop) };
}

/** The settings the due-time rules read, from a shop row. */
export function reminderShop(shop: {
  timezone: string;
  shippingCutoff: string;
  nonShippingDays: string[];
  reminderLeadMinutes: number;
  reminderMinOrderAgeMinutes: number;
  quietHours: QuietHours;
  reminders: unknown;
}): ReminderShop {
  return { ...shop, reminders: reminderSettings(shop.reminders) };
}
