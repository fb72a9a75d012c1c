/**
 * Review-request results (`GET /v1/metrics/review-requests`, the same 30 days as the reminders):
 * per day and variant, requests, reminders, reviews, review rate, mean rating and negative share,
 * a chart of the daily totals, and the variants compared side by side over the period.
 */
import { lazy, Suspense } from 'preact/compat';
import { useMemo } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import type { Day } from '../charts/recovery-chart';
import { fill, useT } from '../i18n';
import { useApi } from './use-api';

const Chart = lazy(() => import('../charts/recovery-chart').then((m) => m.RecoveryChart));
type Row = Schemas['ReviewRequestMetrics']['data'][number];
const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`);

type Totals = {
  variant: string;
  requests: number;
  reminders: number;
  reviews: number;
  ratingSum: number;
  negative: number;
};

/** Per-variant totals; the mean rating and negative share are weighted by each day's reviews. */
function byVariant(rows: Row[]): Totals[] {
  const out = new Map<string, Totals>();
  for (const r of rows) {
    const v = out.get(r.variant) ?? {
      variant: r.variant,
      requests: 0,
      reminders: 0,
      reviews: 0,
      ratingSum: 0,
      negative: 0,
    };
    v.requests += r.requests_sent;
    v.reminders += r.reminders_sent;
    v.reviews += r.reviews_received;
    v.ratingSum += (r.average_rating ?? 0) * r.reviews_received;
    v.negative += (r.negative_share ?? 0) * r.reviews_received;
    out.set(r.variant, v);
  }
  return [...out.values()].sort((a, b) => a.variant.localeCompare(b.variant));
}

export function ReviewResults({ range }: { range: { from: string; to: string } }) {
  const t = useT();
  const metrics = useApi(() => api.GET('/v1/metrics/review-requests', { params: { query: range } }), []);
  const labels = useMemo(() => ({ sent: t.reviewResults.requests, recovered: t.reviewResults.reviews }), [t]);
  const rows = metrics.data?.data ?? [];
  const days = useMemo(() => {
    const byDay = new Map<string, Day>();
    for (const r of rows) {
      const d = byDay.get(r.date) ?? { date: r.date, sent: 0, recovered: 0 };
      d.sent += r.requests_sent;
      d.recovered += r.reviews_received;
      byDay.set(r.date, d);
    }
    return [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date));
  }, [metrics.data]);
  const variants = useMemo(() => byVariant(rows), [metrics.data]);

  if (metrics.error) return <p class="error">{fill(t.error, { message: metrics.error.message })}</p>;
  if (!metrics.data) return <p>{t.loading}</p>;
  return (
    <>
      <section class="card" aria-labelledby="review-results-title">
        <h2 id="review-results-title">{t.reviewResults.title}</h2>
        {days.length === 0 ? (
          <p class="muted" data-testid="review-results-empty">
            {t.reviewResults.empty}
          </p>
        ) : (
          <Suspense fallback={<p>{t.loading}</p>}>
            <Chart days={days} labels={labels} title={t.reviewResults.title} testId="review-chart" />
          </Suspense>
        )}
        <div class="table-wrap">
          <table data-testid="review-results">
            <thead>
              <tr>
                <th>{t.results.date}</th>
                <th>{t.results.variant}</th>
                <th>{t.reviewResults.requests}</th>
                <th>{t.reviewResults.reminders}</th>
                <th>{t.reviewResults.reviews}</th>
                <th>{t.reviewResults.rate}</th>
                <th>{t.reviewResults.rating}</th>
                <th>{t.reviewResults.negative}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.date}/${r.variant}/${r.template_version_id}`}>
                  <td>{r.date}</td>
                  <td>{r.variant}</td>
                  <td>{r.requests_sent}</td>
                  <td>{r.reminders_sent}</td>
                  <td>{r.reviews_received}</td>
                  <td>{pct(r.review_rate)}</td>
                  <td>{r.average_rating?.toFixed(2) ?? t.none}</td>
                  <td>{pct(r.negative_share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {variants.length > 0 && (
        <section class="card" aria-labelledby="review-variants-title">
          <h2 id="review-variants-title">{t.reviewResults.variants}</h2>
          <div class="variant-cards" data-testid="review-variants">
            {variants.map((v) => (
              <div class="card" key={v.variant}>
                <h3>{v.variant}</h3>
                <dl class="figures">
                  <dt>{t.reviewResults.requests}</dt>
                  <dd>{v.requests}</dd>
                  <dt>{t.reviewResults.reviews}</dt>
                  <dd>{v.reviews}</dd>
                  <dt>{t.reviewResults.rate}</dt>
                  <dd>{pct(v.requests ? v.reviews / v.requests : null)}</dd>
                  <dt>{t.reviewResults.rating}</dt>
                  <dd>{v.reviews ? (v.ratingSum / v.reviews).toFixed(2) : t.none}</dd>
                  <dt>{t.reviewResults.negative}</dt>
                  <dd>{pct(v.reviews ? v.negative / v.reviews : null)}</dd>
                </dl>
              </div>
            ))}
          </div>
        </section>
      )}
    </>
  );
}
