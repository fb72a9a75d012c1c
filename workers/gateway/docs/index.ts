/**
 * `/openapi.json`, generated from the routes' zod schemas, and a browsable docs page at `/docs`.
 *
 * The page is Scalar's API reference, served from this worker: its standalone bundle is copied
 * from `@scalar/api-reference` into dist/assets/docs by `npm run build:console`, so the page needs
 * no CDN and works offline.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../shared/http/app';
import { securitySchemes } from '../../../shared/http/openapi';
import { withPageHeaders } from '../../../shared/http/page-headers';

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>orderbell API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/assets/scalar.js"></script>
    <script src="/docs/assets/init.js"></script>
  </body>
</html>
`;

export function mountDocs(app: OpenAPIHono<AppEnv>) {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'orderbell API',
      version: '1.0.0',
      description:
        'Signed order webhooks in; order-lifecycle messages out. Errors share one shape: `{"error":{"code","message","details?"}}`.',
    },
  });
  app.get('/docs', (c) => withPageHeaders(c.html(page), c.req.path));
  app.get('/docs/assets/*', async (c) => withPageHeaders(await c.env.ASSETS.fetch(c.req.raw), c.req.path));
}
