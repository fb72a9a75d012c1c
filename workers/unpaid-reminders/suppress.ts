/** The shop's amount and product filters for reminders. */
import type { MessageReason } from '../../shared/db/schema';
import type { ReminderSettings } from '../../shared/orders/reminder-settings';
import type { ReminderOrder } from './orders';

/** Compares decimal strings exactly enough for money: both sides scaled to 4 places. */
const cents = (amount: string) => Math.round(Number(amount) * 10_000);

export function suppressionReason(order: ReminderOrder, rules: ReminderSettings): MessageReason | null {
  if (order.total !== null) {
    if (rules.min_amount !== null && cents(order.total) < cents(rules.min_amount)) return 'filtered';
    if (rules.max_amount !== null && cents(order.total) > cents(rules.max_amount)) return 'filtered';
  }
  const excluded = new Set(rules.exclude_skus);
  if (order.items.some((item) => item.sku && excluded.has(item.sku))) return 'filtered';
  return null;
}
