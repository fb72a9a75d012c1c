/** The internal queue message that wakes a flow: one timer row of `flow_timers` is due. */
import { z } from 'zod';
import { flowNames } from '../flows/names';

export const flowJobSchema = z.object({
  flow: z.enum(flowNames),
  shopId: z.string().min(1),
  orderId: z.string().min(1),
  step: z.string().min(1),
});
export type FlowJob = z.infer<typeof flowJobSchema>;
