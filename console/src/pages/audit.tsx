/**
 * The audit log (`GET /v1/audit`, admin keys only; the API masks phones, emails and secrets):
 * newest first, filtered by action and dates, with cursor paging ("load more").
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorOf, type ApiError, type Schemas } from '../api/client';
import { fill, useT } from '../i18n';

type Entry = Schemas['AuditEntry'];
type Filters = { action: string; from: string; to: string };
const empty: Filters = { action: '', from: '', to: '' };

/** A local date as the start of that day, or of the next one for the end of a range. */
const day = (d: string, plus = 0) =>
  d ? new Date(new Date(`${d}T00:00:00`).getTime() + plus * 86_400_000).toISOString() : undefined;

export function AuditPage() {
  const t = useT();
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const [rows, setRows] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>();

  // Only the latest request may fill the table: an earlier, slower answer is for other filters.
  const latest = useRef(0);
  const load = async (f: Filters, after?: string) => {
    const ticket = ++latest.current;
    const query = {
      action: f.action.trim() || undefined,
      from: day(f.from),
      to: day(f.to, 1),
      cursor: after,
      limit: 50,
    };
    const { data, error: failure, response } = await api.GET('/v1/audit', { params: { query } });
    if (ticket !== latest.current) return;
    if (!data) return setError(errorOf(failure, response.status));
    setError(undefined);
    setRows((old) => (after ? [...old, ...data.data] : data.data));
    setCursor(data.next_cursor);
  };
  useEffect(() => void load(filters), [filters]);

  const input = (name: keyof Filters, label: string, type: 'text' | 'date') => (
    <label>
      {label}
      {type === 'date' ? (
        <input
          name={name}
          type="date"
          value={draft[name]}
          onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
        />
      ) : (
        <input name={name} value={draft[name]} onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })} />
      )}
    </label>
  );
  return (
    <>
      <h1>{t.audit.title}</h1>
      <p class="muted">{t.audit.intro}</p>
      <form
        class="card row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        {input('action', t.audit.action, 'text')}
        {input('from', t.messages.from, 'date')}
        {input('to', t.messages.to, 'date')}
        <button type="submit">{t.messages.apply}</button>
      </form>
      {error && <p class="error">{fill(t.error, { message: error.message })}</p>}
      <div class="table-wrap card">
        <table data-testid="audit">
          <thead>
            <tr>
              <th>{t.audit.when}</th>
              <th>{t.audit.actionColumn}</th>
              <th>{t.audit.entity}</th>
              <th>{t.audit.actor}</th>
              <th>{t.audit.changes}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.created_at}>{new Date(r.created_at).toLocaleString()}</time>
                </td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  {r.entity} <code>{r.entity_id}</code>
                </td>
                <td>{r.actor_key_id ? <code>{r.actor_key_id}</code> : t.audit.system}</td>
                <td>{r.changes ? <code class="changes">{JSON.stringify(r.changes)}</code> : t.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !error && <p class="muted">{t.audit.empty}</p>}
      </div>
      {cursor && (
        <button type="button" onClick={() => load(filters, cursor)}>
          {t.messages.more}
        </button>
      )}
    </>
  );
}
