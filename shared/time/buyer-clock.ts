/**
 * The buyer's clock: the time zone quiet hours and "daytime" sends are judged in. In order: the buyer's
 * explicit `buyer.timezone`, the shipping address (country, and province or state where the country
 * spans several zones), the phone number's country (libphonenumber-js, minimal metadata). When none of
 * these says anything, the customer stores no zone and the shop's zone is used at send time.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { rememberAccepted } from '../events/remembered';
import { zoneOf } from './zones';

export const clockSources = ['buyer', 'address', 'phone'] as const;
export type ClockSource = (typeof clockSources)[number] | 'shop';
export type Clock = { zone: string; source: ClockSource };

/** True when the runtime knows `zone` as an IANA time zone (remembered once accepted: a DateTimeFormat per event is costly). */
export const isTimeZone = rememberAccepted((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
});

export type ClockInput = {
  timezone?: string | null;
  address?: { country?: string | null; province?: string | null } | null;
  phone?: string | null;
};

/** The buyer's own clock from what the order says, or undefined when it says nothing usable. */
export function buyerClock(input: ClockInput): Clock | undefined {
  if (input.timezone && isTimeZone(input.timezone)) return { zone: input.timezone, source: 'buyer' };
  const byAddress = input.address?.country ? zoneOf(input.address.country, input.address.province) : undefined;
  if (byAddress) return { zone: byAddress, source: 'address' };
  const country = input.phone ? parsePhoneNumberFromString(input.phone)?.country : undefined;
  const byPhone = country ? zoneOf(country) : undefined;
  if (byPhone) return { zone: byPhone, source: 'phone' };
  return undefined;
}

/** The clock a message to this customer is judged by: the customer's own, else the shop's. */
export function clockFor(
  customer: { timezone: string | null; timezoneSource: string | null } | null | undefined,
  shopZone: string,
): Clock {
  if (customer?.timezone)
    return { zone: customer.timezone, source: (customer.timezoneSource ?? 'buyer') as ClockSource };
  return { zone: shopZone, source: 'shop' };
}

/** How a clock is shown on a message: `America/New_York (phone)`. */
export const clockLabel = (c: Clock) => `${c.zone} (${c.source})`;

/** Reads a label written by `clockLabel` back. */
export function parseClockLabel(label: string | null | undefined): Clock | undefined {
  const m = label ? /^(\S+) \((buyer|address|phone|shop)\)$/.exec(label) : null;
  return m ? { zone: m[1]!, source: m[2] as ClockSource } : undefined;
}
