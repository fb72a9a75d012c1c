/**
 * Platform connections (DESIGN.md "Platform connections"), mounted at `/`:
 *   GET /v1/integrations, PUT|DELETE /v1/integrations/{platform}   settings (./settings.ts; read / admin keys)
 *   POST /v1/integrations/shopify/{shop_id}                         Shopify webhooks (./shopify.ts)
 *   POST /v1/integrations/kuaidi100/{shop_id}                       Kuaidi100 pushes (./kuaidi100.ts)
 *   POST /v1/integrations/aftership/{shop_id}                       AfterShip webhooks (./aftership.ts)
 * The receivers take no API key: the path names the shop and the platform's signature proves it.
 */
import { createRouter } from '../../../shared/http/app';
import { readOrAdmin } from '../messages/auth';
import { aftershipRoutes } from './aftership';
import { kuaidi100Routes } from './kuaidi100';
import { settingsRoutes } from './settings';
import { shopifyRoutes } from './shopify';

export const integrationRoutes = createRouter();
integrationRoutes.route('/', shopifyRoutes);
integrationRoutes.route('/', kuaidi100Routes);
integrationRoutes.route('/', aftershipRoutes);
// Only the settings paths take a key: `/v1/integrations` and `/v1/integrations/{platform}`, one segment deep.
integrationRoutes.use('/v1/integrations', readOrAdmin);
integrationRoutes.use('/v1/integrations/:platform{[a-z0-9]+}', readOrAdmin);
integrationRoutes.route('/', settingsRoutes);
