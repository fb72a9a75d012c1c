/**
 * Authentication: shop API keys (digest lookup, scopes) and the operator token.
 * The tenant is set from the key alone; no route reads a shop id from the request.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { db } from '../db/client';
import { apiKeys, type ApiKeyScope } from '../db/schema';
import { constantTimeEqual, sha256Hex } from '../crypto/digest';
import type { AppEnv } from './app';
import { ApiError } from './errors';

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** `admin` may do everything; otherwise the key must hold the scope itself. */
export function allows(scopes: ApiKeyScope[], needed: ApiKeyScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

/** Requires a key holding `scope`, or any one of a list of scopes. */
export const requireApiKey = (scope: ApiKeyScope | ApiKeyScope[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const anyOf = Array.isArray(scope) ? scope : [scope];
    const key = bearer(c.req.header('authorization'));
    if (!key) throw new ApiError('unauthorized', 'Send the shop API key as "Authorization: Bearer <api_key>"');
    const digest = await sha256Hex(key);
    const row = await db(c.env.DB).query.apiKeys.findFirst({
      where: and(eq(apiKeys.digest, digest), isNull(apiKeys.revokedAt)),
    });
    if (!row) throw new ApiError('unauthorized', 'Unknown or revoked API key');
    if (!anyOf.some((needed) => allows(row.scopes, needed))) {
      throw new ApiError('forbidden', `This key lacks the ${anyOf.map((s) => `"${s}"`).join(' or ')} scope`);
    }
    c.set('shopId', row.shopId);
    c.set('apiKeyId', row.id);
    c.set('scopes', row.scopes);
    await next();
  });

export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('authorization'));
  const expected = c.env.OPERATOR_TOKEN;
  if (!expected) console.error('OPERATOR_TOKEN is not set; operator routes are closed');
  if (!token || !expected || !(await constantTimeEqual(token, expected))) {
    throw new ApiError('unauthorized', 'Send the operator token as "Authorization: Bearer <OPERATOR_TOKEN>"');
  }
  await next();
});
