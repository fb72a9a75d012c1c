/** The gateway worker: webhook intake, the shop and operator API, the API docs and the staff console. */
import { createRoute, z } from '@hono/zod-openapi';
import { createApp } from '../../shared/http/app';
import { jsonBody } from '../../shared/http/openapi';
import { addressRoutes } from './address';
import { linkRoutes } from './links';
import { apiKeyRoutes } from './api-keys';
import { currentKeyRoutes } from './api-keys/current';
import { deliveryRoutes } from './delivery';
import { auditRoutes } from './audit';
import { customerRoutes } from './customers';
import { mountConsole } from './console';
import { mountDocs } from './docs';
import { inboundRoutes } from './inbound';
import { integrationRoutes } from './integrations';
import { messageRoutes } from './messages';
import { shipmentRoutes } from './shipments/index';
import { orderRoutes } from './orders';
import { shopRoutes } from './shops';
import { templateRoutes } from './templates';
import { webhooks } from './webhooks';
import { holidayRoutes } from './shops/holidays';
import { runRoutes } from './runs';
import { metricsRoutes } from './metrics';
import { simulationRoutes } from './simulations';

const app = createApp();
app.get('/', (c) => c.json({ name: 'orderbell', console: '/console/', docs: '/docs', openapi: '/openapi.json' }));
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
app.route('/', addressRoutes);
app.route('/', linkRoutes);
app.route('/', shopRoutes);
app.route('/', apiKeyRoutes);
app.route('/', currentKeyRoutes);
app.route('/', orderRoutes);
app.route('/', shipmentRoutes);
app.route('/', templateRoutes);
app.route('/', messageRoutes);
app.route('/', deliveryRoutes);
app.route('/', auditRoutes);
app.route('/', customerRoutes);
app.route('/', inboundRoutes);
app.route('/', integrationRoutes);
app.route('/', holidayRoutes);
app.route('/', runRoutes);
app.route('/', metricsRoutes);
app.route('/', simulationRoutes);
mountDocs(app);
mountConsole(app);

export default app satisfies ExportedHandler<Cloudflare.GatewayEnv>;
