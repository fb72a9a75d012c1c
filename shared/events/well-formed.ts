/**
 * JSON can carry lone UTF-16 surrogates (`"\\ud800"`) that no UTF-8 store can keep: they turn into
 * U+FFFD, so distinct ids collapse and the stored id no longer matches the one sent. Bodies are
 * refused when any string or key in them is not well-formed Unicode.
 */

/** The dotted path of the first string or key that is not well-formed, or undefined. */
export function illFormedPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path.join('.');
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (!key.isWellFormed()) return [...path, key.toWellFormed()].join('.');
    const found = illFormedPath(child, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A zod refinement message for ids. */
export const wellFormedMessage = 'must be well-formed Unicode (no lone surrogates)';
