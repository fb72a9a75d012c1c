/** The gateway worker: webhook intake, the shop and operator API, and the API docs. */
import { createApp } from '../../shared/http/app';
import { apiKeyRoutes } from './api-keys';
import { mountDocs } from './docs';
import { orderRoutes } from './orders';
import { shopRoutes } from './shops';
import { webhooks } from './webhooks';

const app = createApp();
app.get('/', (c) => c.json({ name: 'orderbell', docs: '/docs', openapi: '/openapi.json' }));
app.route('/', webhooks);
app.route('/', shopRoutes);
app.route('/', apiKeyRoutes);
app.route('/', orderRoutes);
mountDocs(app);

export default app satisfies ExportedHandler<Cloudflare.GatewayEnv>;
