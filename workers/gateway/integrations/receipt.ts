/** The answer of the JSON platform receivers (Shopify, AfterShip). */
import { z } from '@hono/zod-openapi';

export const receipt = z
  .object({ status: z.enum(['accepted', 'duplicate', 'ignored']), event_id: z.string().optional() })
  .openapi('PlatformReceipt');
