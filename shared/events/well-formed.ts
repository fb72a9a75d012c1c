/**
 * JSON can carry lone UTF-16 surrogates (`"\\ud800"`) that no UTF-8 store can keep: they turn into
 * U+FFFD, so distinct ids collapse and the stored id no longer matches the one sent. Bodies are
 * refused when any string or key in them is not well-formed Unicode.
 */

/** The dotted path of the first string or key that is not well-formed, or undefined. */
export function illFormedPath(value: unknown): string | undefined {
  return firstIllFormed(value)?.join('.');
}

/** The path to the first ill-formed string or key, built only once one is found (no allocation per key). */
function firstIllFormed(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : [];
  if (value === null || typeof value !== 'object') return undefined;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!key.isWellFormed()) return [key.toWellFormed()];
    const found = firstIllFormed(object[key]);
    if (found !== undefined) {
      found.unshift(key);
      return found;
    }
  }
  return undefined;
}

/** A zod refinement message for ids. */
export const wellFormedMessage = 'must be well-formed Unicode (no lone surrogates)';
