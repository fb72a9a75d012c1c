/** The gateway worker: webhook intake, the shop and operator API, and the API docs. */
import { createRoute, z } from '@hono/zod-openapi';
import { createApp } from '../../shared/http/app';
import { jsonBody } from '../../shared/http/openapi';
import { apiKeyRoutes } from './api-keys';
import { mountDocs } from './docs';
import { orderRoutes } from './orders';
import { shopRoutes } from './shops';
import { webhooks } from './webhooks';

const app = createApp();
app.get('/', (c) => c.json({ name: 'orderbell', docs: '/docs', openapi: '/openapi.json' }));
// Liveness probe; touches no binding, so it is also the no-op baseline of the intake benchmark.
app.openapi(
  createRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness probe',
    responses: { 200: jsonBody(z.object({ ok: z.literal(true) })) },
  }),
  (c) => c.json({ ok: true as const }, 200),
);
app.route('/', webhooks);
app.route('/', shopRoutes);
app.route('/', apiKeyRoutes);
app.route('/', orderRoutes);
mountDocs(app);

export default app satisfies ExportedHandler<Cloudflare.GatewayEnv>;
