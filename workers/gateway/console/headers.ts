/**
 * Security headers of the pages the console and the docs viewer load.
 *
 * Scripts come only from the origin (no inline script); styles may be inline because CodeMirror
 * and the chart set element styles at run time. Nothing may frame the console, and no request
 * may leave the origin (`connect-src 'self'`, no third-party fonts or images).
 */
export const pageSecurityHeaders: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A copy of `response` (whose headers may be immutable) with the page security headers set. */
export function withSecurityHeaders(response: Response): Response {
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(pageSecurityHeaders)) secured.headers.set(name, value);
  return secured;
}
