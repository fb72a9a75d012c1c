/** `POST /v1/runs/{flow}`: runs one cron pass of a flow now, for the key's shop only, and returns its counts. */
import { createRoute, z } from '@hono/zod-openapi';
import { messageReasons } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { requireApiKey } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { runnerFor } from './flows';

/** The flows with a cron pass (the thank-you runs from its queue and sweep only). */
const runnable = ['unpaid-reminders', 'shipment-followups', 'review-requests'] as const;

const countsSchema = z
  .object({
    flow: z.enum(runnable),
    claimed: z.number().int(),
    planned: z.number().int(),
    skipped: z.partialRecord(z.enum(messageReasons), z.number().int()),
    rows_read: z.number().int().openapi({ description: 'D1 rows read by the due-order scan' }),
    more: z.boolean().openapi({ description: 'More orders were due than one pass takes; the next pass continues' }),
  })
  .openapi('RunCounts');

export const runRoutes = createRouter();
runRoutes.use('/v1/runs/*', requireApiKey('admin'));

runRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/runs/{flow}',
    summary: 'Run one pass of a flow now (admin scope)',
    description: 'The same pass the cron runs every minute, limited to this shop. Overlapping passes never plan twice.',
    security: [{ apiKey: [] }],
    request: { params: z.object({ flow: z.enum(runnable) }) },
    responses: {
      200: jsonBody(countsSchema),
      400: errorResponse('Unknown flow'),
      401: errorResponse('Missing or unknown key'),
      403: errorResponse('Key lacks the admin scope'),
      501: errorResponse('The flow is not built yet'),
    },
  }),
  async (c) => {
    const { flow } = c.req.valid('param');
    const runner = runnerFor(c.env, flow);
    if (!runner) throw new ApiError('not_implemented', `The ${flow} flow is not built yet`);
    const counts = await runner.run(c.get('shopId'));
    return c.json({ flow, ...counts }, 200);
  },
);
