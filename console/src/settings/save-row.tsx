/** A settings form's submit button with the outcome of its last save: "Saved." or the API's message. */
import { useT } from '../i18n';

export type Notice = { ok: boolean; text: string } | null;

export function SaveRow({ label, notice }: { label: string; notice: Notice }) {
  const t = useT();
  return (
    <div class="row">
      <button type="submit">{label}</button>
      {notice && (
        <span role="status" class={notice.ok ? 'ok' : 'error'}>
          {notice.ok ? t.saved : notice.text}
        </span>
      )}
    </div>
  );
}
