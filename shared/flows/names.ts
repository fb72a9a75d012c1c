/**
 * The names of orderbell's flows. Kept apart from the registry (shared/flows/registry.ts) so the
 * schema can type `flow_timers.flow` without importing the flows' code.
 */
export const flowNames = ['unpaid-reminders', 'thank-you', 'shipment-followups', 'review-requests'] as const;
export type Flow = (typeof flowNames)[number];
