/**
 * Review-request rules (`PATCH /v1/shop` with `review_requests`): the delay after delivery or
 * completion, one reminder and its gap, the window, the negative threshold, buyer care and thanks,
 * and the review link. The API validates; each rejected rule shows its message next to it.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors, type Schemas } from '../api/client';
import { useT } from '../i18n';
import { Field, num } from './field';
import { SaveRow, type Notice } from './save-row';

type Rules = Schemas['Shop']['review_requests'];
type Flag = 'reminder' | 'care' | 'thanks';
type Form = Record<Exclude<keyof Rules, Flag>, string> & Record<Flag, boolean>;

const formOf = (r: Rules): Form => ({
  delay_days: String(r.delay_days),
  reminder: r.reminder,
  reminder_gap_days: String(r.reminder_gap_days),
  window_days: String(r.window_days),
  negative_threshold: String(r.negative_threshold),
  care: r.care,
  thanks: r.thanks,
  review_url: r.review_url ?? '',
});

export function ReviewRules(props: { rules: Rules; admin: boolean }) {
  const t = useT();
  const [form, setForm] = useState<Form>(() => formOf(props.rules));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    const review_requests = {
      delay_days: num(form.delay_days),
      reminder: form.reminder,
      reminder_gap_days: num(form.reminder_gap_days),
      window_days: num(form.window_days),
      negative_threshold: num(form.negative_threshold),
      care: form.care,
      thanks: form.thanks,
      review_url: form.review_url.trim() || null,
    };
    const { data, error, response } = await api.PATCH('/v1/shop', { body: { review_requests } });
    const failure = data ? undefined : errorOf(error, response.status);
    setErrors(fieldErrors(failure));
    setNotice(failure ? { ok: false, text: failure.message } : { ok: true, text: '' });
    if (data) setForm(formOf(data.review_requests));
  };
  const field = (name: Exclude<keyof Form, Flag>, label: string) => (
    <Field
      label={label}
      path={`review_requests.${name}`}
      value={form[name]}
      disabled={!props.admin}
      errors={errors}
      onInput={(v) => setForm({ ...form, [name]: v })}
    />
  );
  const flag = (name: Flag, label: string) => (
    <label class="inline">
      <input
        type="checkbox"
        name={`review_requests.${name}`}
        checked={form[name]}
        disabled={!props.admin}
        onChange={(e) => setForm({ ...form, [name]: e.currentTarget.checked })}
      />
      {label}
    </label>
  );

  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="review-rules-title">
      <h2 id="review-rules-title">{t.reviewRules.title}</h2>
      <div class="row">
        {flag('reminder', t.reviewRules.reminder)}
        {flag('care', t.reviewRules.care)}
        {flag('thanks', t.reviewRules.thanks)}
      </div>
      <div class="grid2">
        {field('delay_days', t.reviewRules.delay)}
        {field('reminder_gap_days', t.reviewRules.gap)}
        {field('window_days', t.reviewRules.window)}
        {field('negative_threshold', t.reviewRules.threshold)}
        {field('review_url', t.reviewRules.url)}
      </div>
      {props.admin && <SaveRow label={t.reviewRules.save} notice={notice} />}
    </form>
  );
}
