/** Every D1 table, grouped by domain; drizzle-kit reads this file to generate migrations. */
export * from './shops/shops';
export * from './shops/api-keys';
export * from './orders/customers';
export * from './orders/orders';
export * from './orders/address-responses';
export * from './intake/webhook-events';
export * from './shipping/shipments';
export * from './shipping/tracking-events';
export * from './reviews/reviews';
export * from './templates/templates';
export * from './templates/template-versions';
export * from './delivery/messages';
export * from './delivery/provider-credentials';
export * from './audit/audit-log';
export * from './delivery/blacklist';
export * from './flows/flow-timers';
