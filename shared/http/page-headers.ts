/**
 * One header policy for every HTML page the gateway serves (the address page, the unsubscribe
 * pages, the API docs), applied by one middleware in createApp so a new page cannot miss it:
 * no framing, no MIME sniffing, no referrer, no caching, no indexing, and a CSP that loads nothing
 * from elsewhere and posts forms only back to us. The docs page is the one exception in the CSP:
 * it runs Scalar's script from its CDN and an inline bootstrap, and holds no buyer data.
 */
import type { MiddlewareHandler } from 'hono';

const BUYER_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'unsafe-inline' https:; " +
  "font-src https: data:; img-src https: data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export const pageHeaderPolicy = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
} as const;

/** The CSP of a page at `path`. */
export const cspFor = (path: string) => (path === '/docs' ? DOCS_CSP : BUYER_PAGE_CSP);

export function pageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!/^text\/html\b/i.test(c.res.headers.get('content-type') ?? '')) return;
    const headers = c.res.headers;
    headers.set('content-security-policy', cspFor(c.req.path));
    for (const [name, value] of Object.entries(pageHeaderPolicy)) headers.set(name, value);
  };
}
