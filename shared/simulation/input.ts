/**
 * What the gateway hands the simulator (over its service binding): a read-only snapshot of one
 * shop's state and events, and the variants to run. The simulator writes it into its own database
 * under private shop ids; nothing here points back at the live database.
 */
import type { BlacklistEntry, Customer, IntakeSource, Shop, Template, TemplateVersion } from '../db/schema';
import type { WebhookEventBody } from '../events/webhook';

/** One contract event, replayed at its own `timestamp`. */
export type SimEvent = { webhookId: string; source: IntakeSource; body: WebhookEventBody };

/** The shop columns a what-if may change (PATCH /v1/shop's fields, in column form). */
export type ShopOverrides = Partial<
  Pick<
    Shop,
    | 'timezone'
    | 'shippingCutoff'
    | 'nonShippingDays'
    | 'reminderLeadMinutes'
    | 'reminderMinOrderAgeMinutes'
    | 'quietHours'
    | 'smsSignature'
    | 'smsSignaturePosition'
    | 'reminders'
    | 'shipmentFollowups'
    | 'reviewRequests'
    | 'remoteRegions'
  >
>;

/** One side of a run: the shop as it is, or with overrides and draft template versions. */
export type Variant = {
  shop?: ShopOverrides;
  /** Replaces the delivery settings document (validated by the gateway). */
  delivery?: Record<string, unknown>;
  /** Draft (or archived) version ids of the shop's templates, used as if published. */
  drafts?: string[];
};

export type SimState = {
  shop: Shop;
  templates: Template[];
  versions: TemplateVersion[];
  customers: Customer[];
  blacklist: BlacklistEntry[];
};

export type SimulationInput = {
  /** The live shop that asked; the run is stored under it. */
  shopId: string;
  /** Events in [from, to) replay; the clock runs on to `until` for what they armed. */
  window: { from: Date; to: Date; until: Date };
  state: SimState;
  events: SimEvent[];
  baseline: Variant;
  /** With a proposal the run compares the two on the same events. */
  proposal?: Variant;
  /** The request as asked, kept with the run (without event bodies). */
  request: Record<string, unknown>;
};
