/** Retry delays: capped exponential backoff with "equal" jitter (half fixed, half random), never sooner than the provider's Retry-After. */
export const BACKOFF = { baseMs: 30_000, capMs: 60 * 60_000 } as const;

/** Delay before attempt `attempts + 1`; `random` is injectable for tests. */
export function retryDelayMs(attempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
