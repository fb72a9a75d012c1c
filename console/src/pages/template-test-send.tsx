/** Sends the text being edited to the staff member's own address, then follows the message to its outcome. */
import { useState } from 'preact/hooks';
import { api, errorOf } from '../api/client';
import { fill, useT } from '../i18n';
import type { Doc, Key } from './template-editor';

const settled = ['sent', 'delivered', 'failed', 'skipped', 'cancelled', 'dead'];

export function TestSend(props: { templateKey: Key; doc: Doc }) {
  const t = useT();
  const [recipient, setRecipient] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const send = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    const { data, error, response } = await api.POST('/v1/templates/test-send', {
      body: { ...props.templateKey, document: props.doc, recipient: recipient.trim() },
    });
    if (!data) return setResult({ ok: false, text: errorOf(error, response.status).message });
    let status: string = data.status;
    setResult({ ok: true, text: fill(t.editor.testSent, { id: data.message_id, status }) });
    // The outbox delivers within seconds locally; follow the message until it settles.
    for (let i = 0; i < 30 && !settled.includes(status); i++) {
      await new Promise((r) => setTimeout(r, 500));
      const got = await api.GET('/v1/messages/{message_id}', { params: { path: { message_id: data.message_id } } });
      if (got.data) status = got.data.status;
    }
    setResult({
      ok: status === 'sent' || status === 'delivered',
      text: fill(t.editor.testSent, { id: data.message_id, status }),
    });
  };

  return (
    <form class="card" onSubmit={send}>
      <h2>{t.editor.testSend}</h2>
      <div class="row">
        <label>
          {t.editor.testRecipient}
          <input required value={recipient} onInput={(e) => setRecipient(e.currentTarget.value)} />
        </label>
        <button type="submit">{t.editor.testSend}</button>
      </div>
      {result && (
        <p role="status" class={result.ok ? 'ok' : 'error'} data-testid="test-send-result">
          {result.text}
        </p>
      )}
    </form>
  );
}
