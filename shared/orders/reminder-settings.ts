/**
 * A shop's unpaid-reminder settings beyond the contract's columns (lead and
 * minimum age): the pre-close reminder, filters, the recently-paid rule and
 * the recovery window. Stored as JSON on the shop; absent fields take defaults.
 */
import { z } from '@hono/zod-openapi';
import { decimalString } from '../events/order';

export const reminderSettingsSchema = z
  .strictObject({
    /** Send a second reminder before the platform auto-closes the order. */
    preclose_enabled: z.boolean().default(true),
    preclose_lead_minutes: z.number().int().min(5).max(1440).default(60),
    /** No pre-close reminder within this many minutes of the cutoff reminder. */
    preclose_min_gap_minutes: z.number().int().min(0).max(1440).default(120),
    /** Only remind orders whose total lies within these bounds (decimal strings). */
    min_amount: decimalString.nullable().default(null),
    max_amount: decimalString.nullable().default(null),
    /** Never remind orders containing any of these SKUs. */
    exclude_skus: z.array(z.string().min(1).max(128)).max(500).default([]),
    /** Leave buyers alone who paid another order within this many hours (0 = off). */
    skip_recently_paid_hours: z.number().int().min(0).max(168).default(24),
    /** Payment link for orders that carry no `pay_url`; `{order_id}` is replaced. */
    pay_url_template: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .default(null),
    /** An order paid within this many hours after its reminder counts as recovered. */
    recovery_window_hours: z.number().int().min(1).max(168).default(24),
  })
  .openapi('ReminderSettings');

export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;

export function reminderSettings(stored: unknown): ReminderSettings {
  return reminderSettingsSchema.parse(stored ?? {});
}
