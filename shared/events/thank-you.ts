/** The internal queue message of the thank-you flow: the gateway sends one per accepted `order.paid`. */
import { z } from 'zod';

export const thankYouJobSchema = z.object({ shopId: z.string().min(1), orderId: z.string().min(1) });
export type ThankYouJob = z.infer<typeof thankYouJobSchema>;
