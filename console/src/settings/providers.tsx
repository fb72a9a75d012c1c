/**
 * Provider credentials, write-only: the list shows which providers are set and when (the API never
 * returns a value); the form sends new credentials (`PUT /v1/delivery/providers/{provider}`), is
 * emptied once they are stored, and shows the API's per-field errors. Callback URLs to enter at the
 * provider are shown once, after saving.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors } from '../api/client';
import type { paths } from '../api/schema';
import { fill, useT } from '../i18n';
import { useApi } from '../pages/use-api';
import { Field } from './field';

type Provider = paths['/v1/delivery/providers/{provider}']['put']['parameters']['path']['provider'];
/** `secret`: typed as a password and never echoed; `json`: an object typed as JSON; `optional`: may stay empty. */
type Input = { name: string; secret?: boolean; optional?: boolean; json?: boolean };

/** Each provider's settings (shared/channels/<provider>.ts): a new provider fails to compile until listed. */
const inputs: Record<Provider, Input[]> = {
  aliyun_sms: [
    { name: 'accessKeyId' },
    { name: 'accessKeySecret', secret: true },
    { name: 'signName' },
    { name: 'regionId', optional: true },
    { name: 'endpoint', optional: true },
    { name: 'templates', optional: true, json: true },
  ],
  twilio: [
    { name: 'accountSid' },
    { name: 'authToken', secret: true },
    { name: 'from', optional: true },
    { name: 'messagingServiceSid', optional: true },
  ],
  resend: [{ name: 'apiKey', secret: true }, { name: 'from' }],
  cloudflare_email: [{ name: 'from' }],
  webhook: [{ name: 'url' }, { name: 'secret', secret: true }],
  wecom: [{ name: 'key', secret: true }],
  dingtalk: [
    { name: 'accessToken', secret: true },
    { name: 'secret', secret: true, optional: true },
  ],
};
const providerNames = Object.keys(inputs) as Provider[];

/** The typed values as the API's body; JSON that does not parse is sent as text so the API names it. */
function bodyOf(provider: Provider, values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const input of inputs[provider]) {
    const value = values[input.name]?.trim() ?? '';
    if (!value && input.optional) continue;
    try {
      body[input.name] = input.json ? JSON.parse(value) : value;
    } catch {
      body[input.name] = value;
    }
  }
  return body;
}

export function Providers({ admin }: { admin: boolean }) {
  const t = useT();
  const list = useApi(() => api.GET('/v1/delivery/providers'), []);
  const [provider, setProvider] = useState<Provider>('aliyun_sms');
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ ok: boolean; text: string; urls?: Record<string, string> } | null>(null);

  const choose = (p: Provider) => {
    setProvider(p);
    setValues({});
    setErrors({});
    setNotice(null);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const { data, error, response } = await api.PUT('/v1/delivery/providers/{provider}', {
      params: { path: { provider } },
      body: bodyOf(provider, values),
    });
    const failure = data ? undefined : errorOf(error, response.status);
    setErrors(fieldErrors(failure));
    if (data) setValues({}); // write-only: nothing typed stays on screen once stored
    setNotice(
      failure
        ? { ok: false, text: failure.message }
        : { ok: true, text: fill(t.providers.stored, { provider }), urls: data?.callback_urls },
    );
    list.reload();
  };
  const remove = async (p: string) => {
    await api.DELETE('/v1/delivery/providers/{provider}', { params: { path: { provider: p as Provider } } });
    list.reload();
  };

  return (
    <section class="card" aria-labelledby="providers-title">
      <h2 id="providers-title">{t.providers.title}</h2>
      <p class="muted">{t.providers.intro}</p>
      {list.error && <p class="error">{fill(t.error, { message: list.error.message })}</p>}
      <ul data-testid="providers">
        {list.data?.data.length === 0 && <li class="muted">{t.providers.noneSet}</li>}
        {list.data?.data.map((p) => (
          <li key={p.provider}>
            <b>{p.provider}</b> ({p.channel}):{' '}
            <span class="tag">{fill(t.providers.set, { at: new Date(p.updated_at).toLocaleString() })}</span>{' '}
            {admin && (
              <button type="button" class="secondary" onClick={() => remove(p.provider)}>
                {fill(t.providers.remove, { provider: p.provider })}
              </button>
            )}
          </li>
        ))}
      </ul>
      {admin && (
        <form onSubmit={save} noValidate autoComplete="off">
          <label>
            {t.providers.provider}
            <select name="provider" value={provider} onChange={(e) => choose(e.currentTarget.value as Provider)}>
              {providerNames.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
          </label>
          <div class="grid2">
            {inputs[provider].map((input) => (
              <Field
                key={`${provider}.${input.name}`}
                label={`${input.name}${input.optional ? ` (${t.providers.optional})` : ''}${input.json ? ' (JSON)' : ''}`}
                path={input.name}
                secret={input.secret}
                autoComplete={input.secret ? 'new-password' : 'off'}
                multiline={input.json}
                value={values[input.name] ?? ''}
                errors={errors}
                onInput={(v) => setValues({ ...values, [input.name]: v })}
              />
            ))}
          </div>
          <div class="row">
            <button type="submit">{fill(t.providers.save, { provider })}</button>
            {notice && (
              <span role="status" class={notice.ok ? 'ok' : 'error'}>
                {notice.text}
              </span>
            )}
          </div>
          {notice?.urls && (
            <dl data-testid="callback-urls">
              {Object.entries(notice.urls).map(([name, url]) => (
                <>
                  <dt>{name}</dt>
                  <dd>
                    <code>{url}</code>
                  </dd>
                </>
              ))}
            </dl>
          )}
        </form>
      )}
    </section>
  );
}
