/**
 * The staff console at `/console`: the Vite build in dist/assets/console, served through the
 * Workers Static Assets binding with the page security headers. The console is a client of the
 * public API only; this module adds no API route.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../shared/http/app';
import { withPageHeaders } from '../../../shared/http/page-headers';

export function mountConsole(app: OpenAPIHono<AppEnv>) {
  app.get('/console', (c) => c.redirect('/console/', 308));
  app.get('/console/*', async (c) => {
    const asset = await c.env.ASSETS.fetch(c.req.raw);
    // The app routes with the URL hash, so every page is /console/ itself; other misses are real 404s.
    const response = withPageHeaders(asset, c.req.path);
    if (c.req.path === '/console/' || c.req.path === '/console/index.html') {
      response.headers.set('cache-control', 'no-cache');
    }
    return response;
  });
}
