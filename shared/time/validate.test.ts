import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, timeZoneSchema } from './validate';

describe('time zone validation', () => {
  it.each([
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/shanghai', 'Asia/Shanghai'],
    ['US/Eastern', 'America/New_York'],
    ['UTC', 'UTC'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(canonicalTimeZone(input)).toBe(canonical);
    expect(timeZoneSchema.parse(input)).toBe(canonical);
  });

  it.each(['+08:00', 'UTC+8', 'GMT+8', 'Mars/Base', '', 'Asia/Shanghai; DROP'])('rejects %j', (input) => {
    expect(canonicalTimeZone(input)).toBeUndefined();
    expect(timeZoneSchema.safeParse(input).success).toBe(false);
  });
});
