/**
 * Unpaid-reminder rules (`PATCH /v1/shop` with `reminders`): the pre-close reminder, amount and SKU
 * filters, the recently-paid rule, the pay link and the recovery window. The API validates; each
 * rejected rule shows its message next to it.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors, type Schemas } from '../api/client';
import { useT } from '../i18n';
import { Field, listOf, num } from './field';
import { SaveRow, type Notice } from './save-row';

type Rules = Schemas['ReminderSettings'];
type Form = Record<Exclude<keyof Rules, 'preclose_enabled'>, string> & { preclose_enabled: boolean };

const formOf = (r: Rules): Form => ({
  preclose_enabled: r.preclose_enabled,
  preclose_lead_minutes: String(r.preclose_lead_minutes),
  preclose_min_gap_minutes: String(r.preclose_min_gap_minutes),
  min_amount: r.min_amount ?? '',
  max_amount: r.max_amount ?? '',
  exclude_skus: r.exclude_skus.join(', '),
  skip_recently_paid_hours: String(r.skip_recently_paid_hours),
  pay_url_template: r.pay_url_template ?? '',
  recovery_window_hours: String(r.recovery_window_hours),
});

const orNull = (s: string) => s.trim() || null;

export function ReminderRules(props: { rules: Rules; admin: boolean }) {
  const t = useT();
  const [form, setForm] = useState<Form>(() => formOf(props.rules));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    const reminders = {
      preclose_enabled: form.preclose_enabled,
      preclose_lead_minutes: num(form.preclose_lead_minutes),
      preclose_min_gap_minutes: num(form.preclose_min_gap_minutes),
      min_amount: orNull(form.min_amount),
      max_amount: orNull(form.max_amount),
      exclude_skus: listOf(form.exclude_skus),
      skip_recently_paid_hours: num(form.skip_recently_paid_hours),
      pay_url_template: orNull(form.pay_url_template),
      recovery_window_hours: num(form.recovery_window_hours),
    };
    const { data, error, response } = await api.PATCH('/v1/shop', { body: { reminders } });
    const failure = data ? undefined : errorOf(error, response.status);
    setErrors(fieldErrors(failure));
    setNotice(failure ? { ok: false, text: failure.message } : { ok: true, text: '' });
    if (data) setForm(formOf(data.reminders));
  };
  const field = (name: Exclude<keyof Form, 'preclose_enabled'>, label: string) => (
    <Field
      label={label}
      path={`reminders.${name}`}
      value={form[name]}
      disabled={!props.admin}
      errors={errors}
      onInput={(v) => setForm({ ...form, [name]: v })}
    />
  );

  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="reminder-rules-title">
      <h2 id="reminder-rules-title">{t.reminderRules.title}</h2>
      <label class="inline">
        <input
          type="checkbox"
          name="reminders.preclose_enabled"
          checked={form.preclose_enabled}
          disabled={!props.admin}
          onChange={(e) => setForm({ ...form, preclose_enabled: e.currentTarget.checked })}
        />
        {t.reminderRules.preclose}
      </label>
      <div class="grid2">
        {field('preclose_lead_minutes', t.reminderRules.precloseLead)}
        {field('preclose_min_gap_minutes', t.reminderRules.precloseGap)}
        {field('min_amount', t.reminderRules.minAmount)}
        {field('max_amount', t.reminderRules.maxAmount)}
        {field('exclude_skus', t.reminderRules.excludeSkus)}
        {field('skip_recently_paid_hours', t.reminderRules.recentlyPaid)}
        {field('pay_url_template', t.reminderRules.payUrl)}
        {field('recovery_window_hours', t.reminderRules.recoveryWindow)}
      </div>
      {props.admin && <SaveRow label={t.reminderRules.save} notice={notice} />}
    </form>
  );
}
