/** Own-property lookups: inherited names miss. */
import { describe, expect, it } from 'vitest';
import { ownPath, ownValue } from './own';

describe('ownValue', () => {
  const map: Record<string, number> = { sent: 1 };
  it('finds own keys and misses inherited ones', () => {
    expect(ownValue(map, 'sent')).toBe(1);
    for (const key of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', undefined, null]) {
      expect(ownValue(map, key)).toBeUndefined();
    }
  });
});

describe('ownPath', () => {
  it('walks objects and arrays by own properties only', () => {
    const data = { buyer: { name: 'A' }, items: [{ title: 'T' }] };
    expect(ownPath(data, ['buyer', 'name'])).toBe('A');
    expect(ownPath(data, ['items', '0', 'title'])).toBe('T');
    expect(ownPath(data, ['buyer', 'constructor'])).toBeUndefined();
    expect(ownPath(data, ['items', 'map'])).toBeUndefined();
    expect(ownPath(data, ['__proto__'])).toBeUndefined();
  });
});
