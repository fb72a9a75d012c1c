/** Loads one API answer for a page: data, the API error, and a reload function. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorOf, type ApiError } from '../api/client';

type Answer<T> = { data?: T; error?: unknown; response: Response };

export function useApi<T>(load: () => Promise<Answer<T>>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(({ data: d, error: e, response }) => {
      if (!live) return;
      setData(d);
      setError(d === undefined ? errorOf(e, response.status) : undefined);
    });
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload };
}
