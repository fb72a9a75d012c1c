/** The live preview: rendered parts, SMS characters / parts / cost, and the compliance lint at the server's positions. */
import type { ApiError, Schemas } from '../api/client';
import type { Mark } from '../editor/liquid-editor';
import { fill, useT } from '../i18n';

type Warning = Schemas['Preview']['warnings'][number];

/** The editor marks of the warnings in `part`: at the line and column the server computed for each. */
export function warningMarks(warnings: Warning[], part: string): Mark[] {
  return warnings
    .filter((w) => w.part === part)
    .map((w) => ({ line: w.line, column: w.column, message: w.message, severity: 'warning' as const }));
}

export function PreviewPanel(props: {
  preview: { data?: Schemas['Preview']; error?: ApiError };
  orderId: string;
  setOrderId: (id: string) => void;
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
              {data.warnings.map((w) => (
                <li data-line={w.line} data-column={w.column}>
                  {fill(t.editor.warningAt, { part: w.part, line: w.line, column: w.column, message: w.message })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
