/**
 * Clicks on the short links of SMS texts, per message kind and variant (`GET /v1/metrics/clicks`,
 * the same 30 days as the other results): messages with a link, how many were opened, every open,
 * and the click rate.
 */
import { api } from '../api/client';
import { fill, useT } from '../i18n';
import { useApi } from './use-api';

export function ClickResults({ range }: { range: { from: string; to: string } }) {
  const t = useT();
  const metrics = useApi(() => api.GET('/v1/metrics/clicks', { params: { query: range } }), []);
  if (metrics.error) return <p class="error">{fill(t.error, { message: metrics.error.message })}</p>;
  if (!metrics.data) return <p>{t.loading}</p>;
  const rows = metrics.data.data;
  return (
    <section class="card">
      <h2>{t.clickResults.title}</h2>
      {rows.length === 0 ? (
        <p class="muted" data-testid="clicks-empty">
          {t.clickResults.empty}
        </p>
      ) : (
        <div class="table-wrap">
          <table data-testid="click-results">
            <thead>
              <tr>
                <th>{t.results.variant}</th>
                <th>{t.clickResults.messages}</th>
                <th>{t.clickResults.clicked}</th>
                <th>{t.clickResults.clicks}</th>
                <th>{t.clickResults.rate}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.kind}/${r.variant}`}>
                  <td>
                    {r.kind} · {r.variant}
                  </td>
                  <td>{r.messages}</td>
                  <td>{r.messages_clicked}</td>
                  <td>{r.clicks}</td>
                  <td>{(r.click_rate * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
