/**
 * The console's only way to the server: openapi-fetch typed by `schema.d.ts`, which
 * scripts/console-api.ts generates from the gateway's own /openapi.json. A route or schema change
 * in the gateway makes `tsc -p console` fail wherever the console relies on the old shape.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';

export type Schemas = components['schemas'];
export type ApiError = Schemas['Error']['error'];

const withKey: Middleware = {
  onRequest({ request }) {
    const key = session.key();
    if (key && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(withKey);

/** The API's error body, or a generic one when the answer was not the error shape. */
export function errorOf(body: unknown, status: number): ApiError {
  const error = (body as { error?: ApiError } | undefined)?.error;
  return error ?? { code: 'internal_error', message: `HTTP ${status}` };
}

/** "path: message" lines for a validation error's details, keyed by path. */
export function fieldErrors(error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of error?.details ?? []) out[d.path] = d.message;
  return out;
}
