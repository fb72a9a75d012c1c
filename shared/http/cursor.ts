/**
 * Keyset pages, newest first, for every list route: the opaque cursor is the (created_at, id) of a
 * page's last row in base64url, the next page holds the rows strictly after it in that order, and a
 * cursor this API did not return is a 400 on `cursor`.
 */
import { and, eq, lt, or, type Column, type SQL } from 'drizzle-orm';
import { ApiError } from './errors';

/** The position after the last row of a page: its created_at (ms) and id. */
export type Cursor = { createdAt: number; id: string };

export function encodeCursor(row: { createdAt: Date | number; id: string }): string {
  const ms = typeof row.createdAt === 'number' ? row.createdAt : row.createdAt.getTime();
  return btoa(`${ms}.${row.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The cursor's position; throws a 400 on `cursor` when it is not one this API returned. */
export function decodeCursor(cursor: string): Cursor {
  let decoded: Cursor | undefined;
  try {
    const [ms, id] = atob(cursor.replaceAll('-', '+').replaceAll('_', '/')).split(/\.(.*)/s);
    const createdAt = Number(ms);
    if (Number.isSafeInteger(createdAt) && id) decoded = { createdAt, id };
  } catch {
    // not base64: the error below
  }
  if (!decoded)
    throw new ApiError('validation_failed', 'cursor: not a cursor from this API', [
      { path: 'cursor', message: 'not a cursor from this API' },
    ]);
  return decoded;
}

/** Rows after the cursor in (created_at DESC, id DESC) order, for a drizzle table's two columns. */
export function after(cursor: string, createdAt: Column, id: Column): SQL | undefined {
  const { createdAt: ms, id: last } = decodeCursor(cursor);
  const at = new Date(ms);
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, last)));
}

/** A page of `limit` rows from a fetch of `limit + 1`, and the cursor of the next page (null on the last). */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => { createdAt: Date | number; id: string }) {
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor(keyOf(page[page.length - 1]!)) : null;
  return { page, next };
}
