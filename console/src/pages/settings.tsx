/**
 * Shop settings (`PATCH /v1/shop`) and the SMS price (`PUT /v1/delivery/settings`), validated by
 * the API: each rejected field shows the API's message under it. Below it the holiday import,
 * reminder and review-request rules, delivery routes, provider credentials, platform connections, the blacklist and
 * opt-out clearing (console/src/settings/).
 * A key without admin scope reads only.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorOf, fieldErrors, type Schemas } from '../api/client';
import { can, useIdentity } from '../auth';
import { fill, useT } from '../i18n';
import { DeliveryRoutes } from '../settings/delivery-routes';
import { num } from '../settings/field';
import { HolidayImport } from '../settings/holidays';
import { Integrations } from '../settings/integrations';
import { OptOuts } from '../settings/opt-outs';
import { Providers } from '../settings/providers';
import { ReminderRules } from '../settings/reminder-rules';
import { ReviewRules } from '../settings/review-rules';
import { Blacklist } from './blacklist';
import { useApi } from './use-api';
import { SaveRow, type Notice } from '../settings/save-row';

type Form = {
  name: string;
  timezone: string;
  shipping_cutoff: string;
  non_shipping_days: string;
  reminder_lead_minutes: string;
  reminder_min_order_age_minutes: string;
  quiet_start: string;
  quiet_end: string;
  sms_signature: string;
  sms_price: string;
  sms_currency: string;
};

function formOf(shop: Schemas['Shop'], delivery: Schemas['DeliverySettings'] | undefined): Form {
  return {
    name: shop.name,
    timezone: shop.timezone,
    shipping_cutoff: shop.shipping_cutoff,
    non_shipping_days: shop.non_shipping_days.join(', '),
    reminder_lead_minutes: String(shop.reminder_lead_minutes),
    reminder_min_order_age_minutes: String(shop.reminder_min_order_age_minutes),
    quiet_start: shop.quiet_hours.start,
    quiet_end: shop.quiet_hours.end,
    sms_signature: shop.sms_signature ?? '',
    sms_price: delivery?.sms_price?.per_part ?? '',
    sms_currency: delivery?.sms_price?.currency ?? 'CNY',
  };
}

export function SettingsPage() {
  const t = useT();
  const admin = can(useIdentity(), 'admin');
  const shop = useApi(() => api.GET('/v1/shop'), []);
  const delivery = useApi(() => api.GET('/v1/delivery/settings'), []);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);

  useEffect(() => {
    if (shop.data && delivery.data && !form) setForm(formOf(shop.data, delivery.data));
  }, [shop.data, delivery.data]);
  const error = shop.error ?? delivery.error;
  if (error) return <p class="error">{fill(t.error, { message: error.message })}</p>;
  if (!form) return <p>{t.loading}</p>;

  const save = async (e: Event) => {
    e.preventDefault();
    setNotice(null);
    const patch = await api.PATCH('/v1/shop', {
      body: {
        name: form.name,
        timezone: form.timezone,
        shipping_cutoff: form.shipping_cutoff,
        non_shipping_days: form.non_shipping_days
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
        reminder_lead_minutes: num(form.reminder_lead_minutes),
        reminder_min_order_age_minutes: num(form.reminder_min_order_age_minutes),
        quiet_hours: { start: form.quiet_start, end: form.quiet_end },
        sms_signature: form.sms_signature.trim() || null,
      },
    });
    const sms_price = form.sms_price.trim()
      ? { per_part: form.sms_price.trim(), currency: form.sms_currency.trim() }
      : null;
    // Re-read first: the delivery routes form below saves the same document.
    const current = patch.data ? (await api.GET('/v1/delivery/settings')).data : undefined;
    const put = patch.data
      ? await api.PUT('/v1/delivery/settings', { body: { ...(current ?? delivery.data!), sms_price } })
      : undefined;
    const failure = !patch.data
      ? errorOf(patch.error, patch.response.status)
      : put && !put.data
        ? errorOf(put.error, put.response.status)
        : undefined;
    setErrors(fieldErrors(failure));
    setNotice(failure ? { ok: false, text: failure.message } : { ok: true, text: '' });
  };

  const field = (name: keyof Form, label: string, apiPath: string = name) => (
    <label>
      {label}
      <input
        name={name}
        value={form[name]}
        disabled={!admin}
        aria-invalid={errors[apiPath] ? 'true' : undefined}
        aria-describedby={errors[apiPath] ? `${name}-error` : undefined}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
      {errors[apiPath] && (
        <span id={`${name}-error`} class="error" data-testid={`error-${apiPath}`}>
          {errors[apiPath]}
        </span>
      )}
    </label>
  );

  return (
    <>
      <form class="card" onSubmit={save} noValidate>
        <h1>{t.settings.title}</h1>
        {!admin && <p class="muted">{t.settings.readOnly}</p>}
        <div class="grid2">
          {field('name', t.settings.name)}
          {field('timezone', t.settings.timezone)}
          {field('shipping_cutoff', t.settings.cutoff)}
          {field('non_shipping_days', t.settings.nonShipping)}
          {field('reminder_lead_minutes', t.settings.lead)}
          {field('reminder_min_order_age_minutes', t.settings.minAge)}
          {field('quiet_start', t.settings.quietStart, 'quiet_hours.start')}
          {field('quiet_end', t.settings.quietEnd, 'quiet_hours.end')}
          {field('sms_signature', t.settings.smsSignature)}
          {field('sms_price', t.settings.smsPrice, 'sms_price.per_part')}
          {field('sms_currency', t.settings.smsCurrency, 'sms_price.currency')}
        </div>
        {admin && <SaveRow label={t.save} notice={notice} />}
      </form>
      <HolidayImport admin={admin} onImported={(days) => setForm({ ...form, non_shipping_days: days.join(', ') })} />
      <ReminderRules rules={shop.data!.reminders} admin={admin} />
      <ReviewRules rules={shop.data!.review_requests} admin={admin} />
      <DeliveryRoutes settings={delivery.data!} admin={admin} />
      <Providers admin={admin} />
      <Integrations admin={admin} />
      <Blacklist admin={admin} />
      {admin && <OptOuts />}
    </>
  );
}
