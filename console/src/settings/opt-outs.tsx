/**
 * Clearing a buyer's opt-out of one channel (`DELETE /v1/customers/{buyer_id}/opt-outs/{channel}`,
 * admin keys only), for a buyer who asked to get messages again; audited by the API.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors } from '../api/client';
import type { paths } from '../api/schema';
import { fill, useT } from '../i18n';
import { Field } from './field';

type Channel = paths['/v1/customers/{buyer_id}/opt-outs/{channel}']['delete']['parameters']['path']['channel'];
const channelNames: Record<Channel, true> = { sms: true, email: true, chat: true, webhook: true };

export function OptOuts() {
  const t = useT();
  const [buyer, setBuyer] = useState('');
  const [channel, setChannel] = useState<Channel>('sms');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const clear = async (e: Event) => {
    e.preventDefault();
    const { error, response } = await api.DELETE('/v1/customers/{buyer_id}/opt-outs/{channel}', {
      params: { path: { buyer_id: buyer.trim(), channel } },
    });
    if (response.status === 204) {
      setErrors({});
      setNotice({ ok: true, text: fill(t.optOuts.cleared, { buyer: buyer.trim(), channel }) });
      return;
    }
    const failure = errorOf(error, response.status);
    // A 404 (no such buyer, or not opted out) belongs to the buyer field.
    setErrors({ buyer_id: failure.message, ...fieldErrors(failure) });
    setNotice(null);
  };

  return (
    <form class="card" onSubmit={clear} noValidate aria-labelledby="opt-outs-title">
      <h2 id="opt-outs-title">{t.optOuts.title}</h2>
      <p class="muted">{t.optOuts.intro}</p>
      <div class="row">
        <Field label={t.optOuts.buyer} path="buyer_id" value={buyer} errors={errors} onInput={setBuyer} />
        <label>
          {t.messages.channel}
          <select name="opt-out-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel)}>
            {(Object.keys(channelNames) as Channel[]).map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!buyer.trim()}>
          {t.optOuts.clear}
        </button>
      </div>
      {notice && (
        <p role="status" class={notice.ok ? 'ok' : 'error'}>
          {notice.text}
        </p>
      )}
    </form>
  );
}
