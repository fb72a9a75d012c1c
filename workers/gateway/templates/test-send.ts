/**
 * `POST /v1/templates/test-send`: renders like a preview (sample data) and
 * queues the message for a staff recipient through the delivery pipeline: the
 * dispatcher sends it with the shop's providers for the channel (the local
 * outbox by default). The row is written by the outbox (`prepareTestSend`) and
 * marked `purpose: 'test'`, so the buyer policy does not apply to it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { auditInsert } from '../../../shared/db/audit';
import { db } from '../../../shared/db/client';
import type { Channel, TemplateContent } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { enqueuePrepared, type DispatchJob } from '../../../shared/delivery/plan';
import { prepareTestSend } from '../../../shared/delivery/test-send';
import { errorResponse, jsonBody } from '../../../shared/http/openapi';
import { authErrors, security } from './auth';
import { renderedSchema } from './preview';
import { loadShop } from './queries';
import { preview } from './rendering';
import { json, lintWarningSchema, sourceFields, warningView } from './schemas';

/** What a recipient looks like per channel; a test send goes to staff, so it must be a real address. */
const recipientFormats: Record<Channel, { schema: z.ZodType; hint: string }> = {
  sms: { schema: z.string().regex(/^\+[1-9]\d{6,14}$/), hint: 'an E.164 phone number such as +8613800138000' },
  email: { schema: z.email(), hint: 'an email address' },
  chat: { schema: z.string().min(1).max(200), hint: 'a chat id' },
  webhook: { schema: z.url({ protocol: /^https?$/ }), hint: 'an http(s) URL' },
};

const testSendBodySchema = z
  .strictObject({
    ...sourceFields,
    recipient: z.string().min(1).max(320).openapi({ example: '+8613800138000' }),
    variant: z.string().min(1).optional().openapi({ description: 'Force a variant by key (`base` for the base text)' }),
  })
  .superRefine((body, ctx) => {
    const format = recipientFormats[body.channel];
    if (!format.schema.safeParse(body.recipient).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipient'],
        message: `a ${body.channel} recipient must be ${format.hint}`,
      });
    }
  })
  .openapi('TestSendRequest');

const testSendSchema = z
  .object({
    message_id: z.string(),
    status: z.literal('queued'),
    variant: z.string(),
    rendered: renderedSchema,
    warnings: z.array(lintWarningSchema),
  })
  .openapi('TestSend');

export const testSendRoutes = createRouter();

testSendRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/templates/test-send',
    summary: 'Send a test message to a staff recipient',
    description:
      "Renders like a preview with the sample data (`document`, `version`, or the text in effect) and queues it for the dispatcher, which sends it through the shop's providers for the channel (the local outbox by default). It appears in the message log under an order id starting `test_`; buyer rules (consent, quiet hours, budget) do not apply to a test send.",
    security,
    request: { body: json(testSendBodySchema) },
    responses: {
      201: jsonBody(testSendSchema, 'Queued for the dispatcher'),
      400: errorResponse('Invalid body or recipient'),
      404: errorResponse('No such version in this shop'),
      422: errorResponse('The template does not validate or render (template_invalid)'),
      ...authErrors,
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const d = db(c.env.DB);
    const shop = await loadShop(d, c.get('shopId'));
    const result = await preview(d, shop, body);
    const now = new Date();
    const prepared = prepareTestSend(
      d,
      {
        shopId: shop.id,
        kind: body.kind,
        channel: body.channel,
        recipient: body.recipient,
        locale: body.locale,
        rendered: result.rendered as TemplateContent,
        templateVersionId: result.source.versionId,
        variant: result.variant,
        data: result.data,
      },
      now,
    );
    const id = prepared.row.id!;
    const [inserted] = await d.batch([
      prepared.insert,
      auditInsert(
        d,
        {
          shopId: shop.id,
          actorKeyId: c.get('apiKeyId'),
          action: 'template.test_send',
          entity: 'messages',
          entityId: id,
          changes: {
            kind: body.kind,
            channel: body.channel,
            locale: body.locale,
            version: result.source.version,
            variant: result.variant,
          },
        },
        now,
      ),
    ]);
    // If the queue send fails, the dispatcher's due scan still finds the row within a minute.
    await enqueuePrepared(c.env.DISPATCH as Queue<DispatchJob>, prepared, inserted, now);
    return c.json(
      {
        message_id: id,
        status: 'queued' as const,
        variant: result.variant,
        rendered: result.rendered as Record<string, string>,
        warnings: result.warnings.map(warningView),
      },
      201,
    );
  },
);
