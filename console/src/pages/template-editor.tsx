/**
 * One template (kind, channel, locale): the Liquid editor with live preview, SMS parts and cost,
 * lint and save errors at their line and column, versions with publish and roll back, and a test send.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, errorOf, type ApiError, type Schemas } from '../api/client';
import { can, useIdentity } from '../auth';
import { LiquidEditor, type Mark } from '../editor/liquid-editor';
import { fill, useT } from '../i18n';
import { href } from '../router';
import { PreviewPanel, warningMarks } from './template-preview';
import { VersionDiff } from './template-diff';
import { TestSend } from './template-test-send';
import { Variants, type Target } from './template-variants';
import { Versions } from './template-versions';
import { useApi } from './use-api';

export type Kind = Schemas['PreviewRequest']['kind'];
export type Channel = Schemas['PreviewRequest']['channel'];
export type Doc = Schemas['TemplateDocument'];
export type Key = { kind: Kind; channel: Channel; locale: string };

const partsOf: Record<Channel, string[]> = {
  sms: ['body'],
  email: ['subject', 'text', 'html'],
  chat: ['markdown'],
  webhook: ['payload'],
};

/** Marks for a template_invalid error: its details that name a line in `path` (`body`, `variants.0.body`). */
export function errorMarks(error: ApiError | undefined, path: string): Mark[] {
  return (error?.details ?? [])
    .filter((d) => d.line !== undefined && d.path === path)
    .map((d) => ({ line: d.line!, column: d.column ?? 1, message: d.message, severity: 'error' as const }));
}

export function TemplateEditor(props: { kind: string; channel: string; locale: string }) {
  const t = useT();
  const identity = useIdentity();
  const key: Key = { kind: props.kind as Kind, channel: props.channel as Channel, locale: props.locale };
  const path = { params: { path: key } };
  const effective = useApi(
    () => api.GET('/v1/templates/{kind}/{channel}/{locale}', path),
    [props.kind, props.channel, props.locale],
  );
  const kinds = useApi(() => api.GET('/v1/templates/kinds'), []);
  const [doc, setDoc] = useState<Doc | null>(null);
  const [part, setPart] = useState(partsOf[key.channel]?.[0] ?? 'body');
  const [target, setTarget] = useState<Target>('base');
  const [preview, setPreview] = useState<{ data?: Schemas['Preview']; error?: ApiError }>({});
  const [orderId, setOrderId] = useState('');
  const [saveError, setSaveError] = useState<ApiError | undefined>(undefined);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (effective.data && !doc) setDoc(effective.data.document);
  }, [effective.data]);

  // Live preview: every edit is rendered by the API (debounced), never by the browser.
  useEffect(() => {
    if (!doc) return;
    const timer = setTimeout(async () => {
      const variant =
        typeof target === 'number' ? doc.variants?.[target]?.key : doc.variants?.length ? 'base' : undefined;
      const body = {
        ...key,
        document: doc,
        ...(variant ? { variant } : {}),
        ...(orderId.trim() ? { order_id: orderId.trim() } : {}),
      };
      const { data, error, response } = await api.POST('/v1/templates/preview', { body });
      setPreview(data ? { data } : { error: errorOf(error, response.status) });
    }, 250);
    return () => clearTimeout(timer);
  }, [doc, orderId, target]);

  const variables = useMemo(() => kinds.data?.data.find((k) => k.kind === key.kind)?.variables ?? [], [kinds.data]);
  const error = effective.error ?? kinds.error;
  if (error) return <p class="error">{fill(t.error, { message: error.message })}</p>;
  if (!effective.data || !doc || !kinds.data) return <p>{t.loading}</p>;

  // The editor shows the base text or the chosen variant's.
  const variantIndex = typeof target === 'number' && doc.variants?.[target] ? target : null;
  const parts = (variantIndex === null ? doc.parts : doc.variants![variantIndex]!.parts) as Record<string, string>;
  const partPath = variantIndex === null ? part : `variants.${variantIndex}.${part}`;
  const setText = (text: string) => {
    setSaveError(undefined);
    const next = { ...parts, [part]: text } as Doc['parts'];
    setDoc(
      variantIndex === null
        ? { ...doc, parts: next }
        : { ...doc, variants: doc.variants!.map((v, i) => (i === variantIndex ? { ...v, parts: next } : v)) },
    );
  };
  const saveDraft = async () => {
    setNotice('');
    const {
      data,
      error: failure,
      response,
    } = await api.POST('/v1/templates/{kind}/{channel}/{locale}/versions', {
      ...path,
      body: doc,
    });
    if (data) {
      setNotice(fill(t.editor.savedDraft, { version: data.version }));
      effective.reload();
    } else setSaveError(errorOf(failure, response.status));
  };
  const marks = [
    ...errorMarks(saveError, partPath),
    ...errorMarks(preview.error, partPath),
    ...warningMarks(preview.data?.warnings ?? [], part),
  ];
  const writable = can(identity, 'templates');

  return (
    <>
      <p>
        <a href={href('templates')}>← {t.editor.back}</a>
      </p>
      <h1>
        <code>{key.kind}</code> · {key.channel} · {key.locale}
      </h1>
      <p class="muted">{fill(t.editor.inEffect, { source: effective.data.source })}</p>
      <div class="grid2">
        <div class="card">
          <Variants doc={doc} setDoc={setDoc} target={target} setTarget={setTarget} />
          {partsOf[key.channel].length > 1 && (
            <label class="inline">
              {t.editor.source.replace(' ({part})', '')}
              <select value={part} onChange={(e) => setPart(e.currentTarget.value)}>
                {partsOf[key.channel].map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
            </label>
          )}
          <p id="editor-label">{fill(t.editor.source, { part })}</p>
          <LiquidEditor
            value={parts[part] ?? ''}
            onChange={setText}
            variables={variables}
            marks={marks}
            label={fill(t.editor.source, { part })}
          />
          {saveError && (
            <ul role="alert" class="error" data-testid="save-errors">
              {(saveError.details?.length ? saveError.details : [{ path: '', message: saveError.message }]).map((d) => (
                <li>
                  {'line' in d && d.line
                    ? fill(t.editor.errorAt, {
                        line: d.line,
                        column: d.column ?? 1,
                        // The API's text repeats the position for plain clients; the console shows it once.
                        message: d.message.replace(/^line \d+, column \d+: /, ''),
                      })
                    : d.message}
                </li>
              ))}
            </ul>
          )}
          {writable && (
            <div class="row">
              <button type="button" onClick={saveDraft}>
                {t.editor.saveDraft}
              </button>
              {notice && (
                <span class="ok" role="status">
                  {notice}
                </span>
              )}
            </div>
          )}
        </div>
        <PreviewPanel preview={preview} orderId={orderId} setOrderId={setOrderId} />
      </div>
      <Versions
        templateKey={key}
        versions={effective.data.versions}
        published={effective.data.published_version}
        reload={effective.reload}
        writable={writable}
      />
      <VersionDiff templateKey={key} versions={effective.data.versions} draft={doc} />
      {writable && <TestSend templateKey={key} doc={doc} />}
    </>
  );
}
