/** `/openapi.json`, generated from the routes' zod schemas, and a browsable docs page at `/docs`. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../../../shared/http/app';
import { securitySchemes } from '../../../shared/http/openapi';

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
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'orderbell API' }));
}
