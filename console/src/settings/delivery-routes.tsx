/**
 * Delivery routes (`PUT /v1/delivery/settings`): channel order for buyers, staff and single
 * message kinds, provider order per channel, the frequency cap, quiet-hours handling, consent and
 * the retry limit. The document is re-read just before saving so that the SMS price (saved by the
 * form above) is kept; the API's field errors show next to each control.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors, type Schemas } from '../api/client';
import { useT } from '../i18n';
import { errorAt, Field, listOf, num } from './field';
import { SaveRow, type Notice } from './save-row';

type Settings = Schemas['DeliverySettings'];
const channelNames = ['sms', 'email', 'chat', 'webhook'] as const;
type Channel = (typeof channelNames)[number];

type Form = {
  default_route: string;
  staff_route: string;
  routes: string;
  providers: Record<Channel, string>;
  cap_max: string;
  cap_window: string;
  transactional_quiet_hours: Settings['transactional_quiet_hours'];
  service_consent: Settings['service_consent'];
  promotional_consent: Settings['promotional_consent'];
  max_attempts: string;
};

const formOf = (s: Settings): Form => ({
  default_route: s.default_route.join(', '),
  staff_route: s.staff_route.join(', '),
  routes: Object.entries(s.routes)
    .map(([kind, route]) => `${kind}: ${(route ?? []).join(', ')}`)
    .join('\n'),
  providers: Object.fromEntries(channelNames.map((c) => [c, (s.providers[c] ?? []).join(', ')])) as Form['providers'],
  cap_max: String(s.frequency_cap.max),
  cap_window: String(s.frequency_cap.window_hours),
  transactional_quiet_hours: s.transactional_quiet_hours,
  service_consent: s.service_consent,
  promotional_consent: s.promotional_consent,
  max_attempts: String(s.max_attempts),
});

/** "kind: sms, email" lines; a line without a colon is sent under its own text so the API names it. */
function routesOf(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf(':');
    const kind = (at < 0 ? line : line.slice(0, at)).trim();
    out[kind] = at < 0 ? [] : listOf(line.slice(at + 1));
  }
  return out;
}

export function DeliveryRoutes(props: { settings: Settings; admin: boolean }) {
  const t = useT();
  const [form, setForm] = useState<Form>(() => formOf(props.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  const save = async (e: Event) => {
    e.preventDefault();
    const fresh = await api.GET('/v1/delivery/settings');
    const providers = Object.fromEntries(
      channelNames.flatMap((c) => (listOf(form.providers[c]).length ? [[c, listOf(form.providers[c])]] : [])),
    );
    const body = {
      ...(fresh.data ?? props.settings),
      default_route: listOf(form.default_route),
      staff_route: listOf(form.staff_route),
      routes: routesOf(form.routes),
      providers,
      frequency_cap: { max: num(form.cap_max), window_hours: num(form.cap_window) },
      transactional_quiet_hours: form.transactional_quiet_hours,
      service_consent: form.service_consent,
      promotional_consent: form.promotional_consent,
      max_attempts: num(form.max_attempts),
    } as Settings;
    const { data, error, response } = await api.PUT('/v1/delivery/settings', { body });
    const failure = data ? undefined : errorOf(error, response.status);
    setErrors(fieldErrors(failure));
    setNotice(failure ? { ok: false, text: failure.message } : { ok: true, text: '' });
    if (data) setForm(formOf(data));
  };

  const text = (
    key: 'default_route' | 'staff_route' | 'cap_max' | 'cap_window' | 'max_attempts',
    label: string,
    path: string,
  ) => (
    <Field
      label={label}
      path={path}
      value={form[key]}
      disabled={!props.admin}
      errors={errors}
      onInput={(v) => set({ [key]: v })}
    />
  );
  const choice = <K extends 'transactional_quiet_hours' | 'service_consent' | 'promotional_consent'>(
    key: K,
    label: string,
    options: Record<Form[K], string>,
  ) => (
    <label>
      {label}
      <select
        name={key}
        value={form[key]}
        disabled={!props.admin}
        onChange={(e) => set({ [key]: e.currentTarget.value } as Partial<Form>)}
      >
        {Object.entries(options).map(([value, name]) => (
          <option value={value}>{name as string}</option>
        ))}
      </select>
      {errorAt(errors, key) && <span class="error">{errorAt(errors, key)}</span>}
    </label>
  );

  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="routes-title">
      <h2 id="routes-title">{t.routes.title}</h2>
      <p class="muted">{t.routes.intro}</p>
      <div class="grid2">
        {text('default_route', t.routes.defaultRoute, 'default_route')}
        {text('staff_route', t.routes.staffRoute, 'staff_route')}
      </div>
      <Field
        label={t.routes.perKind}
        path="routes"
        multiline
        value={form.routes}
        disabled={!props.admin}
        errors={errors}
        onInput={(v) => set({ routes: v })}
      />
      <h3>{t.routes.providers}</h3>
      <div class="grid2">
        {channelNames.map((c) => (
          <Field
            label={`${t.routes.providersOf} ${c}`}
            path={`providers.${c}`}
            value={form.providers[c]}
            disabled={!props.admin}
            errors={errors}
            onInput={(v) => set({ providers: { ...form.providers, [c]: v } })}
          />
        ))}
      </div>
      <h3>{t.routes.limits}</h3>
      <div class="grid2">
        {text('cap_max', t.routes.capMax, 'frequency_cap.max')}
        {text('cap_window', t.routes.capWindow, 'frequency_cap.window_hours')}
        {text('max_attempts', t.routes.maxAttempts, 'max_attempts')}
        {choice('transactional_quiet_hours', t.routes.quietTransactional, {
          send: t.routes.quietSend,
          defer: t.routes.quietDefer,
        })}
        {choice('service_consent', t.routes.serviceConsent, {
          implied: t.routes.implied,
          required: t.routes.required,
        })}
        {choice('promotional_consent', t.routes.promotionalConsent, {
          required: t.routes.required,
          implied: t.routes.implied,
        })}
      </div>
      {props.admin && <SaveRow label={t.routes.save} notice={notice} />}
    </form>
  );
}
