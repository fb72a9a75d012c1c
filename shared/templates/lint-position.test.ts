import { describe, expect, it } from 'vitest';
import type { LintWarning } from './lint';
import { lintPosition, positionOf } from './lint-position';

const warning = (words?: string[]): LintWarning => ({ code: 'promotional_in_transactional', message: 'x', words });

describe('lintPosition', () => {
  it('counts lines and columns from 1, columns restarting after each newline', () => {
    expect(positionOf('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(positionOf('ab\ncd\nef', 8)).toEqual({ line: 3, column: 3 });
  });

  it('places a named word at its first occurrence, whichever word comes first, ignoring case', () => {
    const parts = { body: 'Hello\nour SALE and coupons\nnow' };
    expect(lintPosition(warning(['coupons', 'sale']), parts)).toEqual({ part: 'body', line: 2, column: 5 });
  });

  it('searches email parts as the lint reads them: the subject before the text', () => {
    const parts = { subject: 'Big deal', html: '<p>deal</p>', text: 'a deal' };
    expect(lintPosition(warning(['deal']), parts)).toEqual({ part: 'subject', line: 1, column: 5 });
    expect(lintPosition(warning(['none']), parts)).toEqual({ part: 'text', line: 1, column: 7 });
  });

  it('puts a finding without a word in the source at the end of the main part', () => {
    expect(lintPosition(warning(), { body: '您好\n请付款' })).toEqual({ part: 'body', line: 2, column: 4 });
    expect(lintPosition(warning(['优惠']), { body: '{{ note }}' })).toEqual({ part: 'body', line: 1, column: 11 });
  });
});
