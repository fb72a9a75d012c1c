import { describe, expect, it } from 'vitest';
import { dayWordsUntil, shipDayFor, shipDayLabel, shipDaySendBy, type ShippingCalendar } from './shipping';

const shanghai: ShippingCalendar = {
  timezone: 'Asia/Shanghai',
  shippingCutoff: '18:00',
  nonShippingDays: ['sun', '2026-10-01'],
};
const newYork: ShippingCalendar = {
  timezone: 'America/New_York',
  shippingCutoff: '16:00',
  nonShippingDays: ['sat', 'sun'],
};

describe('ship day', () => {
  it.each([
    // 2026-11-20 is a Friday. 17:59 local (09:59Z) ships today; 18:00 local ships Saturday.
    ['2026-11-20T09:59:00Z', shanghai, '2026-11-20', true],
    ['2026-11-20T10:00:00Z', shanghai, '2026-11-21', false],
    // Saturday after the cutoff: Sunday is closed, so Monday.
    ['2026-11-21T12:00:00Z', shanghai, '2026-11-23', false],
    // Sunday morning is not a shipping day either.
    ['2026-11-22T01:00:00Z', shanghai, '2026-11-23', false],
    // A dated holiday (Thursday 2026-10-01) shifts to the next day.
    ['2026-09-30T11:00:00Z', shanghai, '2026-10-02', false],
    // New York across the fall-back change: Friday 2026-10-30 16:30 EDT -> Monday Nov 2.
    ['2026-10-30T20:30:00Z', newYork, '2026-11-02', false],
    // Monday 2026-11-02 15:59 EST (20:59Z) still ships that day.
    ['2026-11-02T20:59:00Z', newYork, '2026-11-02', true],
  ])('paid at %s ships on the right day', (at, cal, date, today) => {
    expect(shipDayFor(new Date(at), cal)).toMatchObject({ date, shipsToday: today });
  });

  it('gives the cutoff instant of the shipping day in UTC', () => {
    expect(shipDayFor(new Date('2026-11-02T12:00:00Z'), newYork).cutoffAt.toISOString()).toBe(
      '2026-11-02T21:00:00.000Z',
    );
    expect(shipDayFor(new Date('2026-10-29T12:00:00Z'), newYork).cutoffAt.toISOString()).toBe(
      '2026-10-29T20:00:00.000Z',
    );
  });

  it('fails loudly when the calendar has no shipping day', () => {
    const closed = { ...shanghai, nonShippingDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] };
    expect(() => shipDayFor(new Date('2026-11-20T00:00:00Z'), closed)).toThrow(/no shipping day/);
  });
});

describe('ship day label', () => {
  it.each([
    ['zh-CN', '2026-11-20T09:00:00Z', '今天'],
    ['zh-CN', '2026-11-20T10:00:00Z', '明天'],
    ['en', '2026-11-20T10:00:00Z', 'tomorrow'],
    ['zh-CN', '2026-11-21T12:00:00Z', '11月23日（周一）'],
    ['en', '2026-11-21T12:00:00Z', 'Mon, Nov 23'],
  ])('%s, paid at %s: %s', (locale, paidAt, label) => {
    const now = new Date(paidAt);
    expect(shipDayLabel(shipDayFor(now, shanghai), now, 'Asia/Shanghai', locale)).toBe(label);
  });
});

describe('send-by deadlines of ship-day texts', () => {
  const sendBy = (at: string, cal: ShippingCalendar) => {
    const now = new Date(at);
    return shipDaySendBy(shipDayFor(now, cal), now, cal.timezone).toISOString();
  };

  it('"ships today" expires at the cutoff it names', () => {
    expect(sendBy('2026-11-20T02:00:00Z', shanghai)).toBe('2026-11-20T10:00:00.000Z'); // Fri 10:00 -> 18:00
  });

  it('"ships tomorrow" expires at local midnight', () => {
    // Friday 19:00 in Shanghai ships Saturday ("tomorrow"): untrue from Saturday 00:00.
    expect(sendBy('2026-11-20T11:00:00Z', shanghai)).toBe('2026-11-20T16:00:00.000Z');
  });

  it("a dated ship day expires at that day's cutoff", () => {
    // Saturday 20:00 ships Monday (a date, not "tomorrow"): true until Monday's cutoff.
    expect(sendBy('2026-11-21T12:00:00Z', shanghai)).toBe('2026-11-23T10:00:00.000Z');
  });

  it('day words written at 23:59 in New York expire at the next local midnight, across DST', () => {
    expect(dayWordsUntil(new Date('2026-10-31T03:59:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-10-31T04:00:00.000Z',
    );
    expect(dayWordsUntil(new Date('2026-11-01T12:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-11-02T05:00:00.000Z',
    );
  });
});
