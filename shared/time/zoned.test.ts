import { describe, expect, it } from 'vitest';
import { atLocalTime, localDate, quietUntil } from './zoned';

const window = { start: '21:00', end: '08:00' };

describe('quiet hours', () => {
  it.each([
    // Asia/Shanghai is UTC+8 all year.
    ['2026-11-22T12:59:00Z', 'Asia/Shanghai', null],
    ['2026-11-22T13:00:00Z', 'Asia/Shanghai', '2026-11-23T00:00:00.000Z'],
    ['2026-11-22T17:30:00Z', 'Asia/Shanghai', '2026-11-23T00:00:00.000Z'],
    ['2026-11-22T23:59:00Z', 'Asia/Shanghai', '2026-11-23T00:00:00.000Z'],
    ['2026-11-23T00:00:00Z', 'Asia/Shanghai', null],
    // New York: the night of 2026-11-01 is the fall-back night (EDT -> EST at 02:00 local).
    ['2026-11-01T02:00:00Z', 'America/New_York', '2026-11-01T13:00:00.000Z'],
    ['2026-10-31T12:30:00Z', 'America/New_York', null],
    // Spring forward, 2026-03-08: 21:30 EST on the 7th ends at 08:00 EDT on the 8th (12:00Z).
    ['2026-03-08T02:30:00Z', 'America/New_York', '2026-03-08T12:00:00.000Z'],
  ])('at %s in %s the window ends at %s', (at, tz, expected) => {
    expect(quietUntil(new Date(at), tz, window)?.toISOString() ?? null).toBe(expected);
  });

  it('handles a window within one day', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietUntil(new Date('2026-11-22T04:15:00Z'), 'Asia/Shanghai', lunch)?.toISOString()).toBe(
      '2026-11-22T05:30:00.000Z',
    );
    expect(quietUntil(new Date('2026-11-22T05:30:00Z'), 'Asia/Shanghai', lunch)).toBeNull();
  });
});

describe('local calendar', () => {
  it('gives the local date across midnight UTC', () => {
    expect(localDate(new Date('2026-11-22T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-22T03:00:00Z'), 'America/New_York')).toBe('2026-11-21');
  });

  it('builds a local time on the next day across a DST change', () => {
    const eve = new Date('2026-11-01T01:00:00Z'); // 21:00 EDT on Oct 31
    expect(atLocalTime(eve, 'America/New_York', { hour: 18, minute: 0 }, 1).toISOString()).toBe(
      '2026-11-01T23:00:00.000Z',
    );
  });
});
