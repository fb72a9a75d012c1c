/**
 * Holiday import under Settings: paste or upload an iCalendar or CSV list, see the dates read (and
 * the lines not understood) before anything is saved, then `POST /v1/shop/non-shipping-days/import`
 * merges or replaces them; the API's per-date errors show next to the list.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors } from '../api/client';
import { fill, useT } from '../i18n';
import { parseHolidays, type ParsedHolidays } from './holiday-parse';

export function HolidayImport(props: { admin: boolean; onImported: (days: string[]) => void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [parsed, setParsed] = useState<ParsedHolidays | null>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [errors, setErrors] = useState<string[]>([]);
  const [imported, setImported] = useState<{ count: number; orders: number } | null>(null);

  const read = (input: string) => {
    setText(input);
    setParsed(input.trim() ? parseHolidays(input) : null);
    setErrors([]);
    setImported(null);
  };
  const upload = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) read(await file.text());
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!parsed?.dates.length) return;
    const { data, error, response } = await api.POST('/v1/shop/non-shipping-days/import', {
      body: { dates: parsed.dates, mode },
    });
    if (!data) {
      const failure = errorOf(error, response.status);
      // `dates.3` names the fourth date sent: show the date itself with the API's message.
      const byDate = Object.entries(fieldErrors(failure)).map(([path, message]) => {
        const i = /^dates\.(\d+)$/.exec(path)?.[1];
        return i !== undefined ? `${parsed.dates[Number(i)]}: ${message}` : `${path}: ${message}`;
      });
      setErrors(byDate.length ? byDate : [failure.message]);
      return;
    }
    props.onImported(data.non_shipping_days);
    const count = parsed.dates.length;
    read('');
    setImported({ count, orders: data.rescheduled_orders });
  };

  if (!props.admin) return null;
  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="holidays-title">
      <h2 id="holidays-title">{t.holidays.title}</h2>
      <p class="muted">{t.holidays.intro}</p>
      <label>
        {t.holidays.paste}
        <textarea rows={5} name="holidays" value={text} onInput={(e) => read(e.currentTarget.value)} />
      </label>
      <label>
        {t.holidays.file}
        <input type="file" accept=".ics,.csv,.txt,text/calendar,text/csv,text/plain" onChange={upload} />
      </label>
      {parsed && (
        <div data-testid="holiday-preview">
          <p>{fill(t.holidays.found, { count: parsed.dates.length })}</p>
          {parsed.dates.length > 0 && (
            <ul class="chips">
              {parsed.dates.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          {parsed.rejected.length > 0 && (
            <div class="error" data-testid="holiday-rejected">
              {t.holidays.rejected}
              <ul>
                {parsed.rejected.map((r) => (
                  <li key={r.line}>{fill(t.holidays.rejectedLine, { line: r.line, text: r.text.slice(0, 80) })}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      <fieldset class="row">
        <legend>{t.holidays.mode}</legend>
        <label class="inline">
          <input type="radio" name="mode" checked={mode === 'merge'} onChange={() => setMode('merge')} />
          {t.holidays.merge}
        </label>
        <label class="inline">
          <input type="radio" name="mode" checked={mode === 'replace'} onChange={() => setMode('replace')} />
          {t.holidays.replace}
        </label>
      </fieldset>
      {errors.length > 0 && (
        <ul class="error" data-testid="error-dates">
          {errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="submit" disabled={!parsed?.dates.length}>
          {fill(t.holidays.submit, { count: parsed?.dates.length ?? 0 })}
        </button>
        {imported && (
          <span role="status" class="ok">
            {fill(t.holidays.imported, imported)}
          </span>
        )}
      </div>
    </form>
  );
}
