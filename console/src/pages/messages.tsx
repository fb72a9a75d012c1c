/**
 * The outbox: filters (kind, status, channel, reason, dates), newest first with cursor paging
 * ("load more"), and the reasons of the loaded messages summarised per day.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorOf, type ApiError, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { fill, useT } from '../i18n';
import { en } from '../i18n/en';
import { href } from '../router';
import { reasonText } from './orders';

type Query = NonNullable<paths['/v1/messages']['get']['parameters']['query']>;
type Filters = { kind: string; status: string; channel: string; reason: string; from: string; to: string };
type Row = Schemas['MessageSummary'];

/** Every status, in the order a message moves through them (the keys of the console's status words). */
const statuses = Object.keys(en.statuses) as Row['status'][];
const channelNames = ['sms', 'email', 'chat', 'webhook'];
const empty: Filters = { kind: '', status: '', channel: '', reason: '', from: '', to: '' };

function toQuery(f: Filters, cursor?: string): Query {
  const day = (d: string) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
  const next = (d: string) =>
    d ? new Date(new Date(`${d}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined;
  return {
    kind: (f.kind.trim() || undefined) as Query['kind'],
    status: (f.status || undefined) as Query['status'],
    channel: (f.channel || undefined) as Query['channel'],
    reason: (f.reason || undefined) as Query['reason'],
    from: day(f.from),
    to: next(f.to),
    cursor,
    limit: 25,
  };
}

export function MessagesPage() {
  const t = useT();
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>();

  // Only the latest request may fill the table: an earlier, slower answer is for other filters.
  const latest = useRef(0);
  const load = async (f: Filters, after?: string) => {
    const ticket = ++latest.current;
    const { data, error: failure, response } = await api.GET('/v1/messages', { params: { query: toQuery(f, after) } });
    if (ticket !== latest.current) return;
    if (!data) return setError(errorOf(failure, response.status));
    setError(undefined);
    setRows((old) => (after ? [...old, ...data.data] : data.data));
    setCursor(data.next_cursor);
  };
  useEffect(() => void load(filters), [filters]);

  const select = (name: 'status' | 'channel' | 'reason', options: string[]) => (
    <label>
      {t.messages[name as 'status' | 'channel' | 'reason']}
      <select name={name} value={draft[name]} onChange={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}>
        <option value="">{t.messages.any}</option>
        {options.map((o) => (
          <option value={o}>
            {name === 'reason' ? reasonText(t, o) : name === 'status' ? `${o} (${t.statuses[o as Row['status']]})` : o}
          </option>
        ))}
      </select>
    </label>
  );
  const perDay = new Map<string, Map<string, number>>();
  for (const r of rows.filter((r) => r.reason)) {
    const day = r.created_at.slice(0, 10);
    const counts = perDay.get(day) ?? new Map<string, number>();
    counts.set(r.reason!, (counts.get(r.reason!) ?? 0) + 1);
    perDay.set(day, counts);
  }

  return (
    <>
      <h1>{t.messages.title}</h1>
      <form class="card row" onSubmit={(e) => (e.preventDefault(), setFilters(draft))}>
        <label>
          {t.messages.kind}
          <input name="kind" value={draft.kind} onInput={(e) => setDraft({ ...draft, kind: e.currentTarget.value })} />
        </label>
        {select('status', statuses)}
        {select('channel', channelNames)}
        {select('reason', Object.keys(t.reasons))}
        <label>
          {t.messages.from}
          <input type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </label>
        <label>
          {t.messages.to}
          <input type="date" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </label>
        <button type="submit">{t.messages.apply}</button>
      </form>
      {error && <p class="error">{fill(t.error, { message: error.message })}</p>}
      <div class="table-wrap card">
        <table data-testid="messages">
          <thead>
            <tr>
              <th>{t.messages.when}</th>
              <th>{t.messages.order}</th>
              <th>{t.messages.kind}</th>
              <th>{t.messages.channel}</th>
              <th>{t.messages.status}</th>
              <th>{t.messages.reason}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.updated_at).toLocaleString()}</td>
                <td>
                  <a href={href('orders', r.order_id)}>{r.order_id}</a>
                </td>
                <td>{r.kind}</td>
                <td>{r.channel}</td>
                <td>
                  {r.status} <span class="muted">({t.statuses[r.status]})</span>
                </td>
                <td>{reasonText(t, r.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {cursor && (
          <button type="button" class="secondary" onClick={() => load(filters, cursor)}>
            {t.messages.more}
          </button>
        )}
      </div>
      {perDay.size > 0 && (
        <section class="card">
          <h2>{t.messages.summary}</h2>
          <ul data-testid="reasons-per-day">
            {[...perDay].map(([day, counts]) => (
              <li>
                {day}: {[...counts].map(([reason, n]) => `${reasonText(t, reason)} × ${n}`).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
