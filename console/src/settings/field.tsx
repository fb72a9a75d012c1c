/** One labelled settings control with the API's field-level error under it (linked by aria-describedby). */
import type { ComponentChildren } from 'preact';

/** The messages of every API detail at `path` or under it (`providers.sms` also takes `providers.sms.0`). */
export function errorAt(errors: Record<string, string>, path: string): string | undefined {
  const found = Object.entries(errors).filter(([p]) => p === path || p.startsWith(`${path}.`));
  return found.length ? found.map(([p, m]) => (p === path ? m : `${p}: ${m}`)).join('; ') : undefined;
}

type Props = {
  label: string;
  /** The API path of the value: its errors show here, and it names the error's test id. */
  path: string;
  value: string;
  onInput: (value: string) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  /** A credential: typed as a password, never shown. */
  secret?: boolean;
  multiline?: boolean;
  autoComplete?: string;
  hint?: ComponentChildren;
};

export function Field(props: Props) {
  const error = errorAt(props.errors, props.path);
  const id = `f-${props.path.replace(/[^\w-]/g, '-')}`;
  const common = {
    id,
    name: props.path,
    value: props.value,
    disabled: props.disabled,
    autoComplete: props.autoComplete,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <label>
      {props.label}
      {props.multiline ? (
        <textarea rows={4} {...common} />
      ) : props.secret ? (
        <input type="password" {...common} />
      ) : (
        <input type="text" {...common} />
      )}
      {props.hint && <span class="muted">{props.hint}</span>}
      {error && (
        <span id={`${id}-error`} class="error" data-testid={`error-${props.path}`}>
          {error}
        </span>
      )}
    </label>
  );
}

/** A list typed as "sms, email": its items, trimmed, empties dropped. */
export const listOf = (text: string) =>
  text
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Numbers go to the API as typed; a non-number is sent as is so the API names the field. */
export const num = (s: string) =>
  s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number);
