/** Validators for the time settings shops configure: IANA zones, "HH:MM", ISO dates. */
import { z } from '@hono/zod-openapi';

export function isIanaTimeZone(value: string): boolean {
  // Intl also accepts offsets such as "+08:00"; a shop's zone must be a named one so DST is right.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' })
  .openapi({ example: 'Asia/Shanghai' });

export const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM" (00:00-23:59)')
  .openapi({ example: '18:00' });

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const isoDateSchema = z.iso.date({ message: 'must be an ISO date such as 2026-10-01' });

/** A weekday name (`sat`) or an ISO date (`2026-10-01`) on which the shop does not ship. */
export const nonShippingDaySchema = z.union([z.enum(weekdays), isoDateSchema], {
  error: 'must be a weekday (mon..sun) or an ISO date (YYYY-MM-DD)',
});
