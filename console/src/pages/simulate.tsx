/**
 * Simulate (admin): replays a day of the shop's recorded events through the real flows with a
 * changed cutoff or quiet hours, side by side with the current settings (`POST /v1/simulations`,
 * then `GET /v1/simulations/{id}` until done): the differences first, then both sides' figures
 * per kind and channel, sends per hour, and sample texts. Nothing is sent.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorOf, fieldErrors, type ApiError, type Schemas } from '../api/client';
import { fill, useT } from '../i18n';

type Run = Schemas['Simulation'];
type Report = Schemas['SimulationReport'];
const POLL_MS = 500;

export function SimulatePage() {
  const t = useT();
  const [day, setDay] = useState(() => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  const [cutoff, setCutoff] = useState('');
  const [quietStart, setQuietStart] = useState('');
  const [quietEnd, setQuietEnd] = useState('');
  const [compare, setCompare] = useState(true);
  const [id, setId] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    const poll = async () => {
      const { data } = await api.GET('/v1/simulations/{id}', { params: { path: { id } } });
      if (!live || !data) return;
      setRun(data);
      if (data.status === 'running') setTimeout(poll, POLL_MS);
    };
    poll();
    return () => {
      live = false;
    };
  }, [id]);

  const start = async (e: Event) => {
    e.preventDefault();
    const settings: Record<string, unknown> = {};
    if (cutoff) settings.shipping_cutoff = cutoff;
    if (quietStart && quietEnd) settings.quiet_hours = { start: quietStart, end: quietEnd };
    const changed = Object.keys(settings).length > 0;
    const { data, error, response } = await api.POST('/v1/simulations', {
      body: {
        day,
        compare: compare && changed,
        horizon_hours: 24,
        ...(changed ? { overrides: { settings } } : {}),
      },
    });
    setRun(null);
    setFailure(data ? null : errorOf(error, response.status));
    setId(data ? data.id : null);
  };
  const errors = fieldErrors(failure ?? undefined);
  const report = run?.report;

  return (
    <div>
      <h1>{t.simulate.title}</h1>
      <p>{t.simulate.intro}</p>
      <form class="card row" onSubmit={start} noValidate>
        <label>
          {t.simulate.day}
          <input type="date" value={day} onInput={(e) => setDay(e.currentTarget.value)} />
          {errors.day && <span class="error">{errors.day}</span>}
        </label>
        <label>
          {t.simulate.cutoff}
          <input type="time" value={cutoff} onInput={(e) => setCutoff(e.currentTarget.value)} />
        </label>
        <label>
          {t.simulate.quietStart}
          <input type="time" value={quietStart} onInput={(e) => setQuietStart(e.currentTarget.value)} />
        </label>
        <label>
          {t.simulate.quietEnd}
          <input type="time" value={quietEnd} onInput={(e) => setQuietEnd(e.currentTarget.value)} />
        </label>
        <label>
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.currentTarget.checked)} />{' '}
          {t.simulate.compare}
        </label>
        <button type="submit">{t.simulate.start}</button>
      </form>
      {failure && <p class="error">{fill(t.error, { message: failure.message })}</p>}
      {run?.status === 'running' && (
        <p role="status" data-testid="simulation-progress">
          <progress max={1} value={run.progress} />{' '}
          {fill(t.simulate.running, { percent: Math.round(run.progress * 100), phase: run.phase })}
        </p>
      )}
      {run?.status === 'failed' && <p class="error">{fill(t.simulate.failed, { message: run.error ?? '' })}</p>}
      {report && <ReportView report={report} />}
    </div>
  );
}

function ReportView({ report }: { report: NonNullable<Run['report']> }) {
  const t = useT();
  const sides = (['result', 'baseline', 'proposal'] as const).flatMap((s) =>
    report[s] ? [[s, report[s]!] as const] : [],
  );
  return (
    <div data-testid="simulation-report">
      {report.differences && (
        <section class="card">
          <h2>{t.simulate.differences}</h2>
          {report.differences.length === 0 ? (
            <p>{t.simulate.noDifferences}</p>
          ) : (
            <ul data-testid="simulation-differences">
              {report.differences.map((d) => (
                <li key={d.metric}>{d.text}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section class="card">
        <table>
          <thead>
            <tr>
              <th>{t.simulate.figure}</th>
              {sides.map(([s]) => (
                <th key={s}>{t.simulate.side[s]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(
              [
                [t.simulate.sent, (r: Report) => r.totals.sent],
                [t.simulate.skipped, (r: Report) => r.totals.skipped],
                [t.simulate.expired, (r: Report) => r.totals.expired],
                [t.simulate.deferred, (r: Report) => r.totals.deferred_quiet_hours],
                [t.simulate.beforeCutoff, (r: Report) => r.reminders.before_cutoff],
                [t.simulate.afterCutoff, (r: Report) => r.reminders.after_cutoff],
                [t.simulate.night, (r: Report) => r.night_sends],
                [t.simulate.smsParts, (r: Report) => r.sms.parts],
                [t.simulate.smsCost, (r: Report) => (r.sms.cost ? `${r.sms.cost} ${r.sms.currency}` : t.none)],
              ] as const
            ).map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {sides.map(([s, r]) => (
                  <td key={s}>{value(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {sides.map(([s, r]) => (
        <SideView key={s} title={t.simulate.side[s]} report={r} />
      ))}
    </div>
  );
}

function SideView({ title, report }: { title: string; report: Report }) {
  const t = useT();
  return (
    <section class="card">
      <h2>{title}</h2>
      <table>
        <thead>
          <tr>
            <th>{t.simulate.kind}</th>
            <th>{t.simulate.channel}</th>
            <th>{t.simulate.planned}</th>
            <th>{t.simulate.sent}</th>
            <th>{t.simulate.skipped}</th>
            <th>{t.simulate.expired}</th>
            <th>{t.simulate.deferred}</th>
          </tr>
        </thead>
        <tbody>
          {report.messages.map((m) => (
            <tr key={`${m.kind}/${m.channel}`}>
              <td>{m.kind}</td>
              <td>{m.channel}</td>
              <td>{m.planned}</td>
              <td>{m.sent}</td>
              <td>
                {Object.entries(m.skipped)
                  .map(([reason, n]) => `${t.reasons[reason] ?? reason}: ${n}`)
                  .join('; ') || t.none}
              </td>
              <td>{m.expired}</td>
              <td>{m.deferred_quiet_hours}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t.simulate.hourly}</h3>
      <Hours label={t.simulate.shopClock} counts={report.hourly.shop} />
      <Hours label={t.simulate.buyerClock} counts={report.hourly.buyer} />
      <h3>{t.simulate.samples}</h3>
      {report.samples.map((sample, i) => (
        <details key={i}>
          <summary>
            {sample.kind} · {sample.channel} · {sample.variant ?? t.none}
          </summary>
          <pre>{sample.text}</pre>
        </details>
      ))}
    </section>
  );
}

/** 24 bars, one per hour of the day, scaled to the busiest hour. */
function Hours({ label, counts }: { label: string; counts: number[] }) {
  const max = Math.max(1, ...counts);
  return (
    <figure class="hours" aria-label={label}>
      <figcaption>{label}</figcaption>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: '2px', height: '60px' }}>
        {counts.map((n, hour) => (
          <span
            key={hour}
            title={`${String(hour).padStart(2, '0')}:00 ${n}`}
            style={{ flex: 1, height: `${(n / max) * 100}%`, minHeight: n ? '2px' : '0', background: 'currentColor' }}
          />
        ))}
      </div>
    </figure>
  );
}
