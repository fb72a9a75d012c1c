/**
 * Who may use the message and delivery admin API: reads (GET) take a `read`
 * key, changes an `admin` key (`admin` passes both, see `allows`).
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { errorResponse } from '../../../shared/http/openapi';

const readKey = requireApiKey('read');
const adminKey = requireApiKey('admin');

export const readOrAdmin = createMiddleware<AppEnv>((c, next) =>
  c.req.method === 'GET' || c.req.method === 'HEAD' ? readKey(c, next) : adminKey(c, next),
);

export const security = [{ apiKey: [] }];
export const authErrors = {
  401: errorResponse('Missing or unknown key'),
  403: errorResponse('Key lacks the scope (reads: read; changes: admin)'),
};
