/** The live preview: rendered parts, SMS characters / parts / cost, and the compliance lint with positions. */
import type { ApiError, Schemas } from '../api/client';
import type { Mark } from '../editor/liquid-editor';
import { fill, useT } from '../i18n';

type Warning = Schemas['Preview']['warnings'][number];

/**
 * Where a lint warning points in the source: the first quoted word it names (a marketing or blunt
 * word) where the source contains it, else the end of the text (what is missing belongs there).
 */
export function locate(source: string, warning: Warning): { line: number; column: number } {
  const lines = source.split('\n');
  for (const [, word] of warning.message.matchAll(/"([^"]+)"/g)) {
    const at = lines.findIndex((l) => l.includes(word!));
    if (at >= 0) return { line: at + 1, column: lines[at]!.indexOf(word!) + 1 };
  }
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

export function warningMarks(warnings: Warning[], source: string): Mark[] {
  return warnings.map((w) => ({ ...locate(source, w), message: w.message, severity: 'warning' as const }));
}

export function PreviewPanel(props: {
  preview: { data?: Schemas['Preview']; error?: ApiError };
  orderId: string;
  setOrderId: (id: string) => void;
  source: string;
}) {
  const t = useT();
  const { data, error } = props.preview;
  const sms = data?.sms;
  return (
    <div class="card" aria-live="polite">
      <h2>{t.editor.preview}</h2>
      <label>
        {t.editor.previewOrder}
        <input value={props.orderId} onInput={(e) => props.setOrderId(e.currentTarget.value)} />
      </label>
      {error && (
        <p class="error" data-testid="preview-error">
          {error.details?.[0]?.line
            ? fill(t.editor.errorAt, {
                line: error.details[0].line,
                column: error.details[0].column ?? 1,
                message: error.details[0].message,
              })
            : error.message}
        </p>
      )}
      {data &&
        Object.entries(data.rendered).map(([part, text]) => (
          <div key={part}>
            <div class="muted">{part}</div>
            <div class="preview" data-testid={`preview-${part}`}>
              {text}
            </div>
          </div>
        ))}
      {sms && (
        <p data-testid="sms-stats">
          {fill(t.editor.smsStats, {
            characters: sms.characters,
            parts: sms.segments,
            encoding: sms.encoding,
            cost: sms.cost ? `${sms.cost.amount} ${sms.cost.currency}` : t.none,
          })}
        </p>
      )}
      {data && (
        <>
          <h3>{t.editor.lint}</h3>
          {data.warnings.length === 0 ? (
            <p class="ok">{t.editor.lintClean}</p>
          ) : (
            <ul data-testid="lint">
              {data.warnings.map((w) => {
                const at = locate(props.source, w);
                return <li>{fill(t.editor.errorAt, { line: at.line, column: at.column, message: w.message })}</li>;
              })}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
