/** OpenAPI building blocks shared by every route: the error shape and auth schemes. */
import { z } from '@hono/zod-openapi';
import { errorStatus } from './errors';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
      message: z.string(),
      details: z
        .array(
          z.object({
            path: z.string(),
            message: z.string(),
            line: z.number().int().optional(),
            column: z.number().int().optional(),
          }),
        )
        .optional(),
    }),
  })
  .openapi('Error');

/** A response entry for an error status, for `createRoute({ responses })`. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const securitySchemes = {
  apiKey: { type: 'http', scheme: 'bearer', description: 'Shop API key (`obk_...`)' },
  operatorToken: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN worker secret' },
} as const;
