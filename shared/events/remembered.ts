/**
 * A string check that remembers the values it accepted, per isolate. For checks that build an
 * `Intl` object per call (a locale tag, a time zone): every event carries one, and a shop's buyers
 * use a handful. Only accepted values are kept, at most `max` (then the memory starts again), so
 * outside input can neither grow it without bound nor make a refused value pass.
 */
export function rememberAccepted(check: (value: string) => boolean, max = 1_000): (value: string) => boolean {
  const accepted = new Set<string>();
  return (value) => {
    if (accepted.has(value)) return true;
    if (!check(value)) return false;
    if (accepted.size >= max) accepted.clear();
    accepted.add(value);
    return true;
  };
}
