import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../time/buyer-clock';
import { isLocaleTag } from './order';
import { rememberAccepted } from './remembered';

describe('rememberAccepted', () => {
  it('checks a value once it was accepted, and every time while it is refused', () => {
    const seen: string[] = [];
    const check = rememberAccepted((v) => {
      seen.push(v);
      return v.startsWith('ok');
    });
    expect([check('ok-1'), check('ok-1'), check('bad'), check('bad'), check('ok-2')]).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(seen).toEqual(['ok-1', 'bad', 'bad', 'ok-2']);
  });

  it('keeps at most `max` values, then starts again (outside input cannot grow it)', () => {
    const seen: string[] = [];
    const check = rememberAccepted((v) => (seen.push(v), true), 2);
    for (const v of ['a', 'b', 'c', 'a', 'c']) check(v);
    // 'c' cleared the memory of a and b; 'a' is checked again, 'c' is still remembered.
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });

  it("the event schema's locale and zone checks still refuse what Intl refuses, however often asked", () => {
    for (let i = 0; i < 2; i++) {
      expect([isLocaleTag('zh-CN'), isLocaleTag('en'), isLocaleTag('not a tag'), isLocaleTag('')]).toEqual([
        true,
        true,
        false,
        false,
      ]);
      expect([isTimeZone('Asia/Shanghai'), isTimeZone('Mars/Olympus'), isTimeZone('')]).toEqual([true, false, false]);
    }
  });
});
