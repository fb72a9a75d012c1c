/**
 * Side-by-side diff of two versions of a template (or a version and the text being edited), part by
 * part, line by line (jsdiff): removed lines on the left, added lines on the right.
 */
import { diffLines } from 'diff';
import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { useT } from '../i18n';
import type { Doc, Key } from './template-editor';

type Row = { left: string | null; right: string | null; change: 'same' | 'changed' };

/** Rows of a side-by-side view: unchanged lines on both sides, a removed run beside the added run that replaced it. */
export function sideBySide(before: string, after: string): Row[] {
  const rows: Row[] = [];
  let removed: string[] = [];
  const flush = (added: string[]) => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ left: removed[i] ?? null, right: added[i] ?? null, change: 'changed' });
    }
    removed = [];
  };
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    else if (part.added) flush(lines);
    else {
      flush([]);
      for (const line of lines) rows.push({ left: line, right: line, change: 'same' });
    }
  }
  flush([]);
  return rows;
}

/** Every part of a document as one text per part name, variants included. */
function texts(doc: Doc): Record<string, string> {
  const out: Record<string, string> = { ...(doc.parts as Record<string, string>) };
  for (const v of doc.variants ?? []) {
    for (const [name, text] of Object.entries(v.parts as Record<string, string>)) out[`${v.key}.${name}`] = text;
  }
  return out;
}

export function VersionDiff(props: { templateKey: Key; versions: Schemas['TemplateVersionSummary'][]; draft: Doc }) {
  const t = useT();
  const numbers = props.versions.map((v) => v.version);
  const [left, setLeft] = useState<number | null>(numbers[1] ?? numbers[0] ?? null);
  const [right, setRight] = useState<number | 'draft'>('draft');
  const [docs, setDocs] = useState<Record<string, Doc>>({});

  useEffect(() => {
    for (const v of [left, right]) {
      if (typeof v !== 'number' || docs[v]) continue;
      api
        .GET('/v1/templates/{kind}/{channel}/{locale}/versions/{version}', {
          params: { path: { ...props.templateKey, version: v } },
        })
        .then(({ data }) => data && setDocs((d) => ({ ...d, [v]: data.document })));
    }
  }, [left, right]);

  if (numbers.length === 0) return null;
  const a = left !== null ? docs[left] : undefined;
  const b = right === 'draft' ? props.draft : docs[right];
  const pick = (value: string) => (value === 'draft' ? 'draft' : Number(value));
  return (
    <section class="card">
      <h2>{t.editor.compare}</h2>
      <div class="row">
        <label>
          {t.editor.compareLeft}
          <select value={String(left)} onChange={(e) => setLeft(Number(e.currentTarget.value))}>
            {numbers.map((n) => (
              <option value={String(n)}>v{n}</option>
            ))}
          </select>
        </label>
        <label>
          {t.editor.compareRight}
          <select value={String(right)} onChange={(e) => setRight(pick(e.currentTarget.value))}>
            <option value="draft">{t.editor.draft}</option>
            {numbers.map((n) => (
              <option value={String(n)}>v{n}</option>
            ))}
          </select>
        </label>
      </div>
      {a && b && <DiffTable before={texts(a)} after={texts(b)} />}
    </section>
  );
}

function DiffTable({ before, after }: { before: Record<string, string>; after: Record<string, string> }) {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return (
    <div class="table-wrap">
      <table class="diff" data-testid="diff">
        {names.map((name) => (
          <tbody key={name}>
            <tr>
              <th colSpan={2}>{name}</th>
            </tr>
            {sideBySide(before[name] ?? '', after[name] ?? '').map((r) => (
              <tr class={r.change}>
                <td class={r.change === 'changed' && r.left !== null ? 'removed' : ''}>{r.left ?? ''}</td>
                <td class={r.change === 'changed' && r.right !== null ? 'added' : ''}>{r.right ?? ''}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
