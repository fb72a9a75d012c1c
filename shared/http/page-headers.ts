/**
 * One header policy for every HTML page the gateway serves (the address page, the unsubscribe
 * pages, the API docs, the staff console), applied by one middleware in createApp so a new page
 * cannot miss it: no framing, no MIME sniffing, no referrer, no caching, no indexing, and a CSP
 * that loads nothing from elsewhere. Buyer pages run no script at all; the console and the docs
 * viewer run only scripts served from this origin (no inline script), with inline styles because
 * CodeMirror and the chart set element styles at run time.
 */
import type { MiddlewareHandler } from 'hono';

const BUYER_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every page and of the scripts and styles the apps load. */
const securityHeaders = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Every HTML page: the security headers, never cached, never indexed. */
export const pageHeaderPolicy = { ...securityHeaders, 'cache-control': 'no-store', 'x-robots-tag': 'noindex' } as const;

/** The CSP of a page at `path`: the script-running apps (console, docs viewer) or a buyer page. */
export const cspFor = (path: string) => (/^\/(?:docs|console)(?:\/|$)/.test(path) ? APP_CSP : BUYER_PAGE_CSP);

/** A copy of `response` (whose headers may be immutable, e.g. a static asset) with the policy of `path`. */
export function withPageHeaders(response: Response, path: string): Response {
  const secured = new Response(response.body, response);
  secured.headers.set('content-security-policy', cspFor(path));
  for (const [name, value] of Object.entries(securityHeaders)) secured.headers.set(name, value);
  return secured;
}

export function pageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!/^text\/html\b/i.test(c.res.headers.get('content-type') ?? '')) return;
    const headers = c.res.headers;
    headers.set('content-security-policy', cspFor(c.req.path));
    for (const [name, value] of Object.entries(pageHeaderPolicy)) headers.set(name, value);
  };
}
