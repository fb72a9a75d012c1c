/** The replay window of a simulation: one local day, an explicit range, or the span of the uploaded events. */
import { ApiError } from '../../../shared/http/errors';
import type { SimEvent } from '../../../shared/simulation/input';
import { atLocalTime, localDate } from '../../../shared/time/zoned';
import { MAX_WINDOW_DAYS } from './schemas';

const DAY_MS = 86_400_000;
const invalid = (path: string, message: string) =>
  new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }]);

/** Midnight to midnight of `date` on the shop's clock. */
export function localDay(date: string, tz: string): { from: Date; to: Date } {
  const noon = new Date(`${date}T12:00:00Z`);
  const offset = Math.round((Date.parse(date) - Date.parse(localDate(noon, tz))) / DAY_MS);
  const midnight = { hour: 0, minute: 0 };
  return { from: atLocalTime(noon, tz, midnight, offset), to: atLocalTime(noon, tz, midnight, offset + 1) };
}

export function windowOf(
  q: { day?: string; from?: string; to?: string },
  tz: string,
  uploaded: SimEvent[] | undefined,
): { from: Date; to: Date } {
  if (q.day && (q.from || q.to)) throw invalid('day', 'give either day or from and to');
  let window: { from: Date; to: Date };
  if (q.day) window = localDay(q.day, tz);
  else if (q.from || q.to) {
    if (!q.from || !q.to) throw invalid(q.from ? 'to' : 'from', 'from and to go together');
    window = { from: new Date(q.from), to: new Date(q.to) };
  } else if (uploaded) {
    const times = uploaded.map((e) => Date.parse(e.body.timestamp));
    window = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + 1) };
  } else throw invalid('day', 'give a day, from and to, or uploaded events');
  if (window.to <= window.from) throw invalid('to', 'must be after from');
  if (window.to.getTime() - window.from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw invalid(
      uploaded && !q.day && !q.from ? 'events' : 'to',
      `the window may span at most ${MAX_WINDOW_DAYS} days`,
    );
  }
  if (uploaded) {
    const outside = uploaded.flatMap((e, i) => {
      const t = Date.parse(e.body.timestamp);
      return t < window.from.getTime() || t >= window.to.getTime() ? [{ e, i }] : [];
    });
    if (outside.length) {
      const details = outside.slice(0, 100).map(({ e }) => {
        const line = Number(e.webhookId.slice('upload:'.length));
        return { path: `events:${line}.timestamp`, message: 'outside the window', line };
      });
      throw new ApiError('validation_failed', `events: line ${details[0]!.line}: outside the window`, details);
    }
  }
  return window;
}
