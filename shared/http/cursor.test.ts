/** Keyset cursors: a round trip keeps the position, anything else is a 400 on `cursor`, and pages end with null. */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor';
import { ApiError } from './errors';

describe('keyset cursors', () => {
  it.each([
    { createdAt: new Date(1_764_000_000_123), id: 'msg_abc' },
    { createdAt: 0, id: 'id.with.dots' },
    { createdAt: 1_764_000_000_000, id: 'ünïcode?/+' },
  ])('round-trips $id', (row) => {
    const text = encodeCursor(row);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    const ms = typeof row.createdAt === 'number' ? row.createdAt : row.createdAt.getTime();
    expect(decodeCursor(text)).toEqual({ createdAt: ms, id: row.id });
  });

  it.each(['', '!!!', btoa('not-a-number.id'), btoa('123.'), btoa('1e400.x'), btoa('no-dot')])(
    'refuses %j with a 400 on cursor',
    (text) => {
      const error = (() => {
        try {
          decodeCursor(text);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).details).toEqual([{ path: 'cursor', message: 'not a cursor from this API' }]);
    },
  );

  it('gives the next cursor only when a row beyond the page was fetched', () => {
    const rows = [3, 2, 1].map((n) => ({ createdAt: n, id: `r${n}` }));
    const full = pageOf(rows, 2, (r) => r);
    expect(full.page.map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(decodeCursor(full.next!)).toEqual({ createdAt: 2, id: 'r2' });
    expect(pageOf(rows, 3, (r) => r).next).toBeNull();
  });
});
