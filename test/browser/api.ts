/** Direct calls to the stack under test, for setting up and checking what the browser did. */
import { inject } from 'vitest';

export async function apiCall<T = unknown>(path: string, init: { method?: string; json?: unknown } = {}) {
  const response = await fetch(`${inject('baseUrl')}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${inject('shop').api_key}`,
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return { status: response.status, body: (await response.json()) as T };
}
