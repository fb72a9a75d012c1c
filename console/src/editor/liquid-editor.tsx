/**
 * CodeMirror 6 with the Liquid language, completing the kind's catalogue variables (`buyer.` offers
 * `name`, `phone`, ...), and showing diagnostics at their line and column. Loaded with the
 * template page only (its own chunk).
 */
import { liquid } from '@codemirror/lang-liquid';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';
import type { Schemas } from '../api/client';

type Variable = Schemas['MessageKinds']['data'][number]['variables'][number];
export type Mark = { line: number; column: number; message: string; severity: 'error' | 'warning' };

/** The completion tree of a catalogue: top-level names, and each dotted prefix's children. */
function completions(variables: Variable[]) {
  const children = new Map<string, Map<string, string>>();
  const add = (path: string, description: string) => {
    const names = path.split('.');
    names.forEach((name, i) => {
      const parent = names.slice(0, i).join('.');
      if (!children.has(parent)) children.set(parent, new Map());
      if (!children.get(parent)!.has(name)) children.get(parent)!.set(name, i === names.length - 1 ? description : '');
    });
  };
  for (const v of variables) {
    add(v.path, v.description);
    for (const item of v.item ?? []) add(`${v.path}.${item.path}`, item.description);
  }
  const list = (parent: string) =>
    [...(children.get(parent) ?? [])].map(([label, detail]) => ({ label, detail, type: 'variable' }));
  return { variables: list(''), properties: (path: readonly string[]) => list(path.join('.')) };
}

function toDiagnostics(view: EditorView, marks: Mark[]): Diagnostic[] {
  const doc = view.state.doc;
  return marks.map((m) => {
    const line = doc.line(Math.min(Math.max(m.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(m.column - 1, 0), line.to);
    return { from, to: Math.min(from + 1, line.to), severity: m.severity, message: m.message };
  });
}

export function LiquidEditor(props: {
  value: string;
  onChange: (value: string) => void;
  variables: Variable[];
  marks: Mark[];
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      doc: props.value,
      extensions: [
        basicSetup,
        liquid(completions(props.variables)),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': props.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange.current(u.state.doc.toString());
        }),
      ],
    });
    view.current = v;
    return () => v.destroy();
  }, [props.variables]);

  // A value set from outside (another part, a loaded version) replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== props.value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.value } });
    }
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v, props.marks)));
  }, [props.marks, props.value]);

  return <div ref={host} data-testid="liquid-editor" />;
}
