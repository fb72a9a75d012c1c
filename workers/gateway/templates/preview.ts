/**
 * `POST /v1/templates/preview`: renders a draft, a stored version or the text
 * in effect against sample data or a real order of the shop, with SMS counts
 * (signature included) and compliance lint warnings.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { db } from '../../../shared/db/client';
import { personas } from '../../../shared/db/schema';
import { deliverySettings, smsCost } from '../../../shared/delivery/settings';
import { createRouter } from '../../../shared/http/app';
import { allows } from '../../../shared/http/auth';
import { ApiError } from '../../../shared/http/errors';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from './auth';
import { loadShop } from './queries';
import { preview } from './rendering';
import { json, lintWarningSchema, sourceFields, warningView } from './schemas';

export const previewBodySchema = z
  .strictObject({
    ...sourceFields,
    order_id: z.string().min(1).optional().openapi({
      description: "Render with this order's values (the shop's own orders only); needs the read scope as well",
    }),
    variant: z.string().min(1).optional().openapi({ description: 'Force a variant by key (`base` for the base text)' }),
    audience: z
      .strictObject({ buyer: z.enum(['new', 'returning']).optional(), persona: z.enum(personas).optional() })
      .optional()
      .openapi({ description: 'Simulate the buyer: new or returning, and a persona tag' }),
    segment_budget: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .openapi({ description: 'Most SMS segments allowed (default 1)' }),
  })
  .openapi('PreviewRequest');

const smsCountSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z.number().int(),
  units: z.number().int(),
  segments: z.number().int(),
  per_segment: z.number().int(),
  signature: z.string().nullable().openapi({ description: "The shop's SMS signature, already counted" }),
  cost: z
    .object({ amount: z.string(), currency: z.string() })
    .nullable()
    .openapi({ description: "Cost of one message: parts × the shop's `sms_price` (delivery settings); null if unset" }),
});

export const renderedSchema = z
  .record(z.string(), z.string())
  .openapi({ description: 'Rendered text per channel part' });

const previewSchema = z
  .object({
    rendered: renderedSchema,
    variant: z.string(),
    source: z.enum(['document', 'version', 'published', 'default']),
    version: z.number().int().nullable(),
    sms: smsCountSchema.optional(),
    warnings: z.array(lintWarningSchema),
    sample_variables: z.array(z.string()).openapi({ description: 'Variables whose values came from the samples' }),
  })
  .openapi('Preview');

export const previewRoutes = createRouter();

previewRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/templates/preview',
    summary: 'Preview a template',
    description:
      "Send `document` (unsaved) or `version`; with neither, the text in effect is rendered. Without `order_id` the kind's sample data is used; with it, the order's values replace the samples and `sample_variables` lists what still came from samples. An SMS shows its links as the short links it will be sent with (`{PUBLIC_URL}/s/XXXXXXXX`), so `sms` counts what will be sent.",
    security,
    request: { body: json(previewBodySchema) },
    responses: {
      200: jsonBody(previewSchema),
      400: errorResponse('Invalid body'),
      404: errorResponse('No such version or order in this shop'),
      422: errorResponse('The template does not validate or render (template_invalid)'),
      ...authErrors,
      403: errorResponse('Key lacks the templates scope, or the read scope needed for order_id'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    // A real order's values are order data: the same scope as GET /v1/orders/{id} is needed to see them.
    if (body.order_id !== undefined && !allows(c.get('scopes'), 'read')) {
      throw new ApiError('forbidden', 'Previewing with a real order_id needs the read scope as well');
    }
    const d = db(c.env.DB);
    const shop = await loadShop(d, c.get('shopId'));
    const result = await preview(d, shop, {
      ...body,
      orderId: body.order_id,
      segmentBudget: body.segment_budget,
      shortLinksOn: c.env.PUBLIC_URL,
    });
    const price = deliverySettings(shop.delivery).sms_price;
    const sms = result.sms && {
      encoding: result.sms.encoding,
      characters: result.sms.characters,
      units: result.sms.units,
      segments: result.sms.segments,
      per_segment: result.sms.perSegment,
      signature: result.sms.signature,
      cost: price ? { amount: smsCost(price, result.sms.segments), currency: price.currency } : null,
    };
    return c.json(
      {
        rendered: result.rendered as Record<string, string>,
        variant: result.variant,
        source: result.source.source,
        version: result.source.version,
        ...(sms ? { sms } : {}),
        warnings: result.warnings.map(warningView),
        sample_variables: result.sampleVariables,
      },
      200,
    );
  },
);
