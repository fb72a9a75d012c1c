/**
 * Who may use the template API: reads accept the `templates` or `read` scope,
 * every POST needs `templates` (`admin` passes both, see `allows`).
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { errorResponse } from '../../../shared/http/openapi';

const readScopes = requireApiKey(['templates', 'read']);
const writeScopes = requireApiKey('templates');

export const templateScopes = createMiddleware<AppEnv>((c, next) =>
  c.req.method === 'GET' || c.req.method === 'HEAD' ? readScopes(c, next) : writeScopes(c, next),
);

export const security = [{ apiKey: [] }];
export const authErrors = {
  401: errorResponse('Missing or unknown key'),
  403: errorResponse('Key lacks the templates scope (reads also accept read)'),
};
