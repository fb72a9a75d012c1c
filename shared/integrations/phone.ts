/**
 * Phones from platforms, as E.164. Shopify stores what the buyer typed ("555-625-1199",
 * "(312) 345-6789"); the address's country says how to read a national number. A number that
 * is not a valid phone of that country is dropped (the buyer is then reached by other channels),
 * never guessed. `libphonenumber-js/min` carries only the metadata validation needs and runs on
 * Workers (no eval, no filesystem).
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export function toE164(raw: unknown, country?: string | null): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 64) return undefined;
  const region = typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(raw, region);
  return parsed?.isValid() ? parsed.number : undefined;
}
