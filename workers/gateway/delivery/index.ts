/**
 * Delivery administration for the key's shop, mounted at `/`:
 *   GET|PUT /v1/delivery/settings               routing, provider order, caps, consent (./settings.ts)
 *   GET /v1/delivery/providers, PUT|DELETE /v1/delivery/providers/{provider}   credentials, sealed (./providers.ts)
 *   GET|POST /v1/blacklist, DELETE /v1/blacklist/{type}/{value}                (./blacklist.ts)
 * Reads take a `read` key, changes an `admin` key; every change is audited.
 */
import { createRouter } from '../../../shared/http/app';
import { readOrAdmin } from '../messages/auth';
import { blacklistRoutes } from './blacklist';
import { providerRoutes } from './providers';
import { settingsRoutes } from './settings';

export const deliveryRoutes = createRouter();
// `/x/*` also matches `/x` itself in Hono.
deliveryRoutes.use('/v1/delivery/*', readOrAdmin);
deliveryRoutes.use('/v1/blacklist/*', readOrAdmin);
deliveryRoutes.route('/', settingsRoutes);
deliveryRoutes.route('/', providerRoutes);
deliveryRoutes.route('/', blacklistRoutes);
