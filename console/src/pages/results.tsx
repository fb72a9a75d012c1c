/**
 * Unpaid-reminder results: per day and variant, reminders sent, orders recovered, amount and rate
 * (`GET /v1/metrics/unpaid-reminders`, last 30 days), with a chart of the daily totals; below
 * them the review-request results (./results-reviews.tsx) and the SMS short-link clicks
 * (./results-clicks.tsx).
 */
import { lazy, Suspense } from 'preact/compat';
import { useMemo } from 'preact/hooks';
import { api } from '../api/client';
import type { Day } from '../charts/recovery-chart';
import { fill, useT } from '../i18n';
import { ClickResults } from './results-clicks';
import { ReviewResults } from './results-reviews';
import { useApi } from './use-api';

const RecoveryChart = lazy(() => import('../charts/recovery-chart').then((m) => m.RecoveryChart));
const DAY = 86_400_000;

export function ResultsPage() {
  const t = useT();
  const range = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / DAY) * DAY);
    return { from: new Date(to.getTime() - 30 * DAY).toISOString(), to: to.toISOString() };
  }, []);
  const metrics = useApi(() => api.GET('/v1/metrics/unpaid-reminders', { params: { query: range } }), []);
  const labels = useMemo(() => ({ sent: t.results.sent, recovered: t.results.recovered }), [t]);
  const days = useMemo(() => {
    const byDay = new Map<string, Day>();
    for (const r of metrics.data?.data ?? []) {
      const d = byDay.get(r.date) ?? { date: r.date, sent: 0, recovered: 0 };
      d.sent += r.reminders_sent;
      d.recovered += r.orders_recovered;
      byDay.set(r.date, d);
    }
    return [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date));
  }, [metrics.data]);

  // A/B: each variant's totals over the period, side by side.
  const variants = useMemo(() => {
    const byVariant = new Map<string, { key: string; sent: number; recovered: number }>();
    for (const r of metrics.data?.data ?? []) {
      const key = `${r.kind} · ${r.variant}`;
      const v = byVariant.get(key) ?? { key, sent: 0, recovered: 0 };
      v.sent += r.reminders_sent;
      v.recovered += r.orders_recovered;
      byVariant.set(key, v);
    }
    return [...byVariant.values()];
  }, [metrics.data]);

  if (metrics.error) return <p class="error">{fill(t.error, { message: metrics.error.message })}</p>;
  if (!metrics.data) return <p>{t.loading}</p>;
  return (
    <>
      <h1>{t.results.title}</h1>
      <section class="card">
        <h2>{t.results.recovery}</h2>
        {days.length === 0 ? (
          <p class="muted" data-testid="results-empty">
            {t.results.empty}
          </p>
        ) : (
          <Suspense fallback={<p>{t.loading}</p>}>
            <RecoveryChart days={days} labels={labels} title={t.results.recovery} />
          </Suspense>
        )}
        <div class="table-wrap">
          <table data-testid="results">
            <thead>
              <tr>
                <th>{t.results.date}</th>
                <th>{t.results.variant}</th>
                <th>{t.results.sent}</th>
                <th>{t.results.recovered}</th>
                <th>{t.results.amount}</th>
                <th>{t.results.rate}</th>
              </tr>
            </thead>
            <tbody>
              {metrics.data.data.map((r) => (
                <tr key={`${r.date}/${r.kind}/${r.variant}`}>
                  <td>{r.date}</td>
                  <td>
                    {r.kind} · {r.variant}
                  </td>
                  <td>{r.reminders_sent}</td>
                  <td>{r.orders_recovered}</td>
                  <td>
                    {Object.entries(r.amount_recovered)
                      .map(([currency, amount]) => `${amount} ${currency}`)
                      .join(', ') || t.none}
                  </td>
                  <td>{(r.recovery_rate * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {variants.length > 0 && (
        <section class="card">
          <h2>{t.results.variants}</h2>
          <div class="variant-cards" data-testid="variant-totals">
            {variants.map((v) => (
              <div class="card" key={v.key}>
                <h3>{v.key}</h3>
                <p>
                  {t.results.sent}: {v.sent} · {t.results.recovered}: {v.recovered} · {t.results.rate}:{' '}
                  {v.sent ? ((v.recovered / v.sent) * 100).toFixed(1) : '0.0'}%
                </p>
              </div>
            ))}
          </div>
        </section>
      )}
      <ReviewResults range={range} />
      <ClickResults range={range} />
    </>
  );
}
