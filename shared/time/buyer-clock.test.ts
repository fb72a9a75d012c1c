import { describe, expect, it } from 'vitest';
import { buyerClock, clockFor, clockLabel, isTimeZone, parseClockLabel } from './buyer-clock';
import { countryZones, regionZones, zoneOf } from './zones';

describe("the buyer's clock", () => {
  it('every zone in the country and region maps is a zone the runtime knows', () => {
    const zones = [...Object.values(countryZones), ...Object.values(regionZones).flatMap((r) => Object.values(r))];
    expect(zones.filter((z) => !isTimeZone(z))).toEqual([]);
  });

  it('prefers an explicit buyer.timezone, then the address, then the phone', () => {
    const us = { country: 'US', province: 'CA' };
    expect(buyerClock({ timezone: 'America/Chicago', address: us, phone: '+12125550123' })).toEqual({
      zone: 'America/Chicago',
      source: 'buyer',
    });
    expect(buyerClock({ address: us, phone: '+12125550123' })).toEqual({
      zone: 'America/Los_Angeles',
      source: 'address',
    });
    expect(buyerClock({ phone: '+12125550123' })).toEqual({ zone: 'America/New_York', source: 'phone' });
    expect(buyerClock({ phone: '+8613800138000' })).toEqual({ zone: 'Asia/Shanghai', source: 'phone' });
    expect(buyerClock({ phone: '+33612345678' })).toEqual({ zone: 'Europe/Paris', source: 'phone' });
  });

  it('reads a region by code or by name, case-insensitively, for countries with several zones', () => {
    expect(zoneOf('US', 'texas')).toBe('America/Chicago');
    expect(zoneOf('CA', 'British Columbia')).toBe('America/Vancouver');
    expect(zoneOf('AU', 'WA')).toBe('Australia/Perth');
    expect(zoneOf('MX', 'Quintana Roo')).toBe('America/Cancun');
    // An unknown region falls back to the country's most populous zone; an unknown country to nothing.
    expect(zoneOf('US', 'Atlantis')).toBe('America/New_York');
    expect(zoneOf('ZZ')).toBeUndefined();
    expect(zoneOf('US', 'constructor')).toBe('America/New_York');
    expect(zoneOf('__proto__')).toBeUndefined();
  });

  it('ignores an invalid explicit zone and says nothing when nothing is known', () => {
    expect(buyerClock({ timezone: 'Mars/Olympus', phone: '+8613800138000' })?.source).toBe('phone');
    expect(buyerClock({ phone: '+999' })).toBeUndefined();
    expect(buyerClock({})).toBeUndefined();
  });

  it("falls back to the shop's zone, and labels round-trip", () => {
    expect(clockFor(null, 'Asia/Shanghai')).toEqual({ zone: 'Asia/Shanghai', source: 'shop' });
    const c = clockFor({ timezone: 'America/New_York', timezoneSource: 'phone' }, 'Asia/Shanghai');
    expect(clockLabel(c)).toBe('America/New_York (phone)');
    expect(parseClockLabel(clockLabel(c))).toEqual(c);
    expect(parseClockLabel('nonsense')).toBeUndefined();
  });
});
