/**
 * `POST /v1/simulations` (admin) replays a window of the shop's events, recorded or uploaded, through
 * the real flow code in the simulator, optionally with what-if overrides and side by side with the
 * shop as it is; it answers 202 with the run id. `GET /v1/simulations/{id}` (read) shows progress,
 * then the report. The gateway only reads here; the simulator writes only its own database.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { dbFor } from '../../../shared/db/client';
import { shops } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import type { ShopOverrides, Variant } from '../../../shared/simulation/input';
import type { SimulatorRpc } from '../../../shared/simulation/rpc';
import { shopColumns } from '../shops/schemas';
import { parseEventsNdjson } from './ndjson';
import { createSimulationSchema, overridesSchema, simulationSchema, startedSchema } from './schemas';
import { readState, recordedEvents } from './snapshot';
import { windowOf } from './window';

export const simulationRoutes = createRouter();
const HOUR_MS = 3_600_000;

const simulator = (env: Cloudflare.GatewayEnv) => env.SIMULATOR as unknown as SimulatorRpc;

function variantOf(overrides: z.infer<typeof overridesSchema> | undefined): Variant {
  if (!overrides) return {};
  const columns = Object.entries(shopColumns(overrides.settings ?? {})).filter(([, v]) => v !== undefined);
  return {
    shop: Object.fromEntries(columns) as ShopOverrides,
    delivery: overrides.delivery,
    drafts: overrides.template_versions,
  };
}

simulationRoutes.use('/v1/simulations', requireApiKey('admin'));
simulationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/simulations',
    summary: 'Start a simulation (admin scope)',
    description:
      'Replays one local day (or a window of up to 7 days) of the shop’s recorded events, or an uploaded NDJSON file of contract events, through the real flow and delivery code on a virtual clock, against a private copy of the shop. Nothing is sent and no live table is written. With `overrides` the run uses those settings and draft templates; with `compare: true` it runs the shop as it is and with the overrides, side by side. Bad upload lines are reported as `events:<line>.<path>` with `line`.',
    security: [{ apiKey: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: createSimulationSchema } } } },
    responses: {
      202: jsonBody(startedSchema, 'Started; poll GET /v1/simulations/{id}'),
      400: errorResponse('Invalid window, overrides or events'),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the admin scope'),
      413: errorResponse('Body too large'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const shopId = c.get('shopId');
    if (body.compare && !body.overrides) {
      throw new ApiError('validation_failed', 'compare: needs overrides to compare with', [
        { path: 'overrides', message: 'required when compare is true' },
      ]);
    }
    const shop = await dbFor(c.env, shopId).query.shops.findFirst({ where: eq(shops.id, shopId) });
    if (!shop) throw new ApiError('shop_not_found', 'Unknown shop');
    const uploaded = body.events === undefined ? undefined : parseEventsNdjson(body.events);
    const window = windowOf(body, shop.timezone, uploaded);
    const events = uploaded ?? (await recordedEvents(c.env, shopId, window.from, window.to));
    const state = await readState(c.env, shopId, events, body.overrides?.template_versions ?? []);
    const variant = variantOf(body.overrides);
    const { events: _text, ...asked } = body;
    const { id } = await simulator(c.env).start({
      shopId,
      window: { ...window, until: new Date(window.to.getTime() + body.horizon_hours * HOUR_MS) },
      state,
      events,
      baseline: body.compare ? {} : variant,
      proposal: body.compare ? variant : undefined,
      request: { ...asked, source: uploaded ? 'upload' : 'recorded', event_count: events.length },
    });
    return c.json({ id, status: 'running' as const }, 202);
  },
);

simulationRoutes.use('/v1/simulations/*', requireApiKey('read'));
simulationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/simulations/{id}',
    summary: 'A simulation’s progress, then its report',
    description:
      'While running: `progress` (0-1) and `phase`. When done: `report` with per kind and channel counts (planned, sent, skipped by reason, expired, deferred by quiet hours), sends per hour on the shop’s and the buyers’ clocks, SMS parts and cost, reminders before and after their cutoff and rendered samples; a comparison has `baseline`, `proposal` and `differences` first. Runs are kept 7 days.',
    security: [{ apiKey: [] }],
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: jsonBody(simulationSchema),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the read scope'),
      404: errorResponse('No such simulation for this shop (or older than 7 days)'),
    },
  }),
  async (c) => {
    const run = await simulator(c.env).get(c.get('shopId'), c.req.valid('param').id);
    if (!run) throw new ApiError('not_found', 'No such simulation');
    return c.json(run as z.infer<typeof simulationSchema>, 200);
  },
);
