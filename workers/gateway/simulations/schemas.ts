/** zod schemas of `POST /v1/simulations` and `GET /v1/simulations/{id}`; the OpenAPI document derives from these. */
import { z } from '@hono/zod-openapi';
import { deliverySettingsSchema } from '../../../shared/delivery/settings';
import { simulationStatuses } from '../../../shared/db/schema';
import { isoDateSchema } from '../../../shared/time/validate';
import { settingsFields } from '../shops/schemas';

export const MAX_WINDOW_DAYS = 7;
export const MAX_EVENTS = 50_000;

const { name: _name, ...simulatedSettings } = settingsFields;

export const overridesSchema = z
  .strictObject({
    settings: z.strictObject(simulatedSettings).partial().optional().openapi({
      description:
        'Shop settings as PATCH /v1/shop takes them: cutoff, quiet hours, reminder rules, review delay, peak calendar, ...',
    }),
    delivery: deliverySettingsSchema
      .optional()
      .openapi({ description: 'Delivery settings replacing the shop’s (routes, frequency cap, consent, SMS price)' }),
    template_versions: z
      .array(z.string().min(1).max(64))
      .max(50)
      .optional()
      .openapi({ description: 'Draft version ids of the shop’s templates, used as if published' }),
  })
  .openapi('SimulationOverrides');

export const createSimulationSchema = z
  .strictObject({
    day: isoDateSchema.optional().openapi({ description: 'One local day on the shop’s clock, e.g. 2026-11-11' }),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    horizon_hours: z
      .number()
      .int()
      .min(0)
      .max(168)
      .default(24)
      .openapi({ description: 'How long the clock runs on after the window, for what its events armed' }),
    events: z
      .string()
      .optional()
      .openapi({
        description: `NDJSON of contract event bodies, one a line, at most ${MAX_EVENTS}; replaces the recorded events`,
      }),
    overrides: overridesSchema.optional(),
    compare: z
      .boolean()
      .default(false)
      .openapi({ description: 'Run the shop as it is and with the overrides, on the same events, side by side' }),
  })
  .openapi('CreateSimulation');

const counts = z.record(z.string(), z.number().int());
export const reportSchema = z
  .object({
    events: z.number().int(),
    orders: z.number().int(),
    ticks: z.number().int().openapi({ description: 'Minutes the virtual clock stopped at with work due' }),
    totals: z.object({
      planned: z.number().int(),
      sent: z.number().int(),
      skipped: z.number().int(),
      expired: z.number().int(),
      deferred_quiet_hours: z.number().int(),
    }),
    messages: z.array(
      z.object({
        kind: z.string(),
        channel: z.string(),
        planned: z.number().int(),
        sent: z.number().int(),
        skipped: counts,
        cancelled: counts,
        failed: counts,
        expired: z.number().int(),
        deferred_quiet_hours: z.number().int(),
        pending: z.number().int(),
      }),
    ),
    hourly: z.object({ shop: z.array(z.number().int()), buyer: z.array(z.number().int()) }),
    night_sends: z.number().int(),
    sms: z.object({
      messages: z.number().int(),
      parts: z.number().int(),
      cost: z.string().nullable(),
      currency: z.string().nullable(),
    }),
    reminders: z.object({
      before_cutoff: z.number().int(),
      after_cutoff: z.number().int(),
      expired: z.number().int(),
    }),
    samples: z.array(
      z.object({
        kind: z.string(),
        channel: z.string(),
        variant: z.string().nullable(),
        locale: z.string().nullable(),
        text: z.string(),
      }),
    ),
  })
  .openapi('SimulationReport');

export const simulationSchema = z
  .object({
    id: z.string(),
    status: z.enum(simulationStatuses),
    progress: z.number(),
    phase: z.string(),
    request: z.record(z.string(), z.unknown()),
    report: z
      .object({
        window: z.object({ from: z.string(), to: z.string(), until: z.string() }),
        result: reportSchema.optional().openapi({ description: 'A single run' }),
        baseline: reportSchema.optional().openapi({ description: 'A comparison: the shop as it is' }),
        proposal: reportSchema.optional().openapi({ description: 'A comparison: with the overrides' }),
        differences: z
          .array(
            z.object({
              metric: z.string(),
              baseline: z.union([z.number(), z.string()]),
              proposal: z.union([z.number(), z.string()]),
              text: z.string(),
            }),
          )
          .optional(),
      })
      .nullable(),
    error: z.string().nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
    expires_at: z.string(),
  })
  .openapi('Simulation');

export const startedSchema = z.object({ id: z.string(), status: z.literal('running') }).openapi('SimulationStarted');
