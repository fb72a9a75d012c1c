/**
 * The template API for marketing staff: kinds and their variables, versions
 * (draft, publish, rollback, revert to the default), preview and test send. Mounted at `/`; every
 * path is under `/v1/templates`, guarded by the templates scopes (see auth.ts).
 */
import { createRouter } from '../../../shared/http/app';
import { templateScopes } from './auth';
import { previewRoutes } from './preview';
import { publishRoutes } from './publish';
import { readRoutes } from './read';
import { revertRoutes } from './revert';
import { testSendRoutes } from './test-send';
import { versionRoutes } from './versions';

export const templateRoutes = createRouter();

// `/v1/templates/*` also matches `/v1/templates` itself in Hono.
templateRoutes.use('/v1/templates/*', templateScopes);
templateRoutes.route('/', readRoutes);
templateRoutes.route('/', versionRoutes);
templateRoutes.route('/', publishRoutes);
templateRoutes.route('/', revertRoutes);
templateRoutes.route('/', previewRoutes);
templateRoutes.route('/', testSendRoutes);
