/**
 * Platform connections (`GET /v1/integrations`, a read key): which platforms are connected, since
 * when, and the callback URL to paste into each. Credentials are never shown; connecting is done
 * through the API (docs/INTEGRATIONS.md), disconnecting here with an admin key.
 */
import { api, type Schemas } from '../api/client';
import { fill, useT } from '../i18n';
import { useApi } from '../pages/use-api';

type Platform = Schemas['Integration']['platform'];
/** Every platform the API knows: a new one fails to compile until it is listed. */
const platforms: Record<Platform, true> = { shopify: true, kuaidi100: true, aftership: true };

export function Integrations({ admin }: { admin: boolean }) {
  const t = useT();
  const list = useApi(() => api.GET('/v1/integrations'), []);
  const disconnect = async (platform: Platform) => {
    await api.DELETE('/v1/integrations/{platform}', { params: { path: { platform } } });
    list.reload();
  };
  return (
    <section class="card" aria-labelledby="integrations-title">
      <h2 id="integrations-title">{t.integrations.title}</h2>
      {list.error && <p class="error">{fill(t.error, { message: list.error.message })}</p>}
      <ul data-testid="integrations">
        {(Object.keys(platforms) as Platform[]).map((p) => {
          const row = list.data?.data.find((r) => r.platform === p);
          return (
            <li key={p}>
              <b>{p}</b>:{' '}
              {row ? (
                <>
                  <span class="tag">
                    {fill(t.integrations.connected, { at: new Date(row.updated_at).toLocaleString() })}
                  </span>{' '}
                  {t.integrations.callback} <code>{row.callback_url}</code>{' '}
                  {admin && (
                    <button type="button" class="secondary" onClick={() => disconnect(p)}>
                      {fill(t.integrations.disconnect, { platform: p })}
                    </button>
                  )}
                </>
              ) : (
                <span class="muted">{list.data ? t.integrations.notConnected : t.loading}</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
