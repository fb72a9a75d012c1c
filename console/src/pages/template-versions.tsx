/**
 * Version history with author and time; publish a draft, roll back to an earlier version, or revert
 * to the built-in default.
 */
import { useState } from 'preact/hooks';
import { api, errorOf, type Schemas } from '../api/client';
import { fill, useT } from '../i18n';
import type { Key } from './template-editor';

export function Versions(props: {
  templateKey: Key;
  versions: Schemas['TemplateVersionSummary'][];
  published: number | null;
  reload: () => void;
  writable: boolean;
}) {
  const t = useT();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const path = props.templateKey;

  const act = async (version: number, rollback: boolean) => {
    const { data, error, response } = rollback
      ? await api.POST('/v1/templates/{kind}/{channel}/{locale}/rollback', { params: { path }, body: { version } })
      : await api.POST('/v1/templates/{kind}/{channel}/{locale}/versions/{version}/publish', {
          params: { path: { ...path, version } },
        });
    setNotice(
      data
        ? { ok: true, text: fill(rollback ? t.editor.rolledBack : t.editor.published, { version }) }
        : { ok: false, text: errorOf(error, response.status).message },
    );
    props.reload();
  };

  const revert = async () => {
    const { data, error, response } = await api.POST('/v1/templates/{kind}/{channel}/{locale}/revert', {
      params: { path },
    });
    setNotice(
      data
        ? { ok: true, text: fill(t.editor.reverted, { version: data.archived_version }) }
        : { ok: false, text: errorOf(error, response.status).message },
    );
    props.reload();
  };

  if (props.versions.length === 0) return null;
  return (
    <section class="card">
      <h2>{t.editor.versions}</h2>
      {notice && (
        <p role="status" class={notice.ok ? 'ok' : 'error'}>
          {notice.text}
        </p>
      )}
      {props.writable && props.published !== null && (
        <p>
          <button type="button" class="secondary" data-testid="revert" onClick={revert}>
            {t.editor.revert}
          </button>
        </p>
      )}
      <div class="table-wrap">
        <table data-testid="versions">
          <thead>
            <tr>
              <th>{t.editor.version}</th>
              <th>{t.editor.status}</th>
              <th>{t.editor.author}</th>
              <th>{t.editor.created}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.versions.map((v) => (
              <tr key={v.version}>
                <td>v{v.version}</td>
                <td data-testid={`status-v${v.version}`}>{v.status}</td>
                <td>
                  <code>{v.created_by ?? t.none}</code>
                </td>
                <td>{new Date(v.created_at).toLocaleString()}</td>
                <td>
                  {props.writable && v.status === 'draft' && (
                    <button type="button" onClick={() => act(v.version, false)}>
                      {fill(t.editor.publish, { version: v.version })}
                    </button>
                  )}
                  {props.writable && v.status === 'archived' && props.published !== null && (
                    <button type="button" class="secondary" onClick={() => act(v.version, true)}>
                      {fill(t.editor.rollback, { version: v.version })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
