/** Validators for the time settings shops configure: IANA zones, "HH:MM", ISO dates. */
import { z } from '@hono/zod-openapi';

/** The canonical IANA name of `value` ("asia/shanghai" -> "Asia/Shanghai"), or undefined. */
export function canonicalTimeZone(value: string): string | undefined {
  // Intl also accepts offsets such as "+08:00"; a shop's zone must be a named one so DST is right.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return undefined;
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    // Legacy fixed-offset names such as "EST" carry no DST rules; only UTC is allowed without a region.
    return zone.includes('/') || zone === 'UTC' ? zone : undefined;
  } catch {
    return undefined;
  }
}

export const timeZoneSchema = z
  .string()
  .refine((v) => canonicalTimeZone(v) !== undefined, { message: 'must be an IANA time zone such as Asia/Shanghai' })
  .overwrite((v) => canonicalTimeZone(v) ?? v)
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
