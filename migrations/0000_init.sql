CREATE TABLE `shops` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'Asia/Shanghai' NOT NULL,
	`shipping_cutoff` text DEFAULT '18:00' NOT NULL,
	`non_shipping_days` text DEFAULT '[]' NOT NULL,
	`reminder_lead_minutes` integer DEFAULT 60 NOT NULL,
	`reminder_min_order_age_minutes` integer DEFAULT 10 NOT NULL,
	`quiet_hours` text DEFAULT '{"start":"21:00","end":"08:00"}' NOT NULL,
	`sms_signature` text,
	`sms_signature_position` text DEFAULT 'start' NOT NULL,
	`reminders` text,
	`remote_regions` text,
	`delivery` text,
	`webhook_secret_enc` text NOT NULL,
	`previous_webhook_secret_enc` text,
	`previous_webhook_secret_expires_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`digest` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_digest_uq` ON `api_keys` (`digest`);--> statement-breakpoint
CREATE INDEX `api_keys_shop_idx` ON `api_keys` (`shop_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`shop_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text,
	`phone` text,
	`email` text,
	`locale` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`marketing_consent` integer DEFAULT false NOT NULL,
	`opted_out_channels` text DEFAULT '[]' NOT NULL,
	`blacklisted` integer DEFAULT false NOT NULL,
	`details_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `id`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`shop_id` text NOT NULL,
	`id` text NOT NULL,
	`buyer_id` text,
	`state` text NOT NULL,
	`state_rank` integer NOT NULL,
	`state_at` integer NOT NULL,
	`state_event_id` text NOT NULL,
	`currency` text,
	`total` text,
	`items` text,
	`shipping_address` text,
	`details_at` integer,
	`placed_at` integer,
	`auto_close_at` integer,
	`pay_url` text,
	`paid_at` integer,
	`cancelled_at` integer,
	`cancel_reason` text,
	`shipped_at` integer,
	`completed_at` integer,
	`refunded_at` integer,
	`reminder_due_at` integer,
	`preclose_due_at` integer,
	`thank_you_due_at` integer,
	`review_due_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `id`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_buyer_idx` ON `orders` (`shop_id`,`buyer_id`);--> statement-breakpoint
CREATE INDEX `orders_reminder_due_idx` ON `orders` (`reminder_due_at`) WHERE reminder_due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_preclose_due_idx` ON `orders` (`preclose_due_at`) WHERE preclose_due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_thank_you_due_idx` ON `orders` (`thank_you_due_at`) WHERE thank_you_due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_review_due_idx` ON `orders` (`review_due_at`) WHERE review_due_at IS NOT NULL;--> statement-breakpoint
CREATE TABLE `address_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`order_id` text NOT NULL,
	`action` text NOT NULL,
	`correction` text,
	`address` text,
	`message_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `address_responses_order_action_uq` ON `address_responses` (`shop_id`,`order_id`,`action`);--> statement-breakpoint
CREATE INDEX `address_responses_order_idx` ON `address_responses` (`shop_id`,`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`type` text NOT NULL,
	`order_id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`payload` text NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_shop_webhook_uq` ON `webhook_events` (`shop_id`,`webhook_id`);--> statement-breakpoint
CREATE INDEX `webhook_events_order_idx` ON `webhook_events` (`shop_id`,`order_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`shop_id` text NOT NULL,
	`order_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`status` text,
	`status_at` integer,
	`shipped_at` integer,
	`delivered_at` integer,
	`last_movement_at` integer,
	`stall_check_due_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_tracking_uq` ON `shipments` (`shop_id`,`carrier`,`tracking_number`);--> statement-breakpoint
CREATE INDEX `shipments_order_idx` ON `shipments` (`shop_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `shipments_stall_check_due_idx` ON `shipments` (`stall_check_due_at`) WHERE stall_check_due_at IS NOT NULL;--> statement-breakpoint
CREATE TABLE `tracking_events` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`order_id` text NOT NULL,
	`status` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`location` text,
	`detail` text,
	`webhook_event_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracking_events_shipment_uq` ON `tracking_events` (`shop_id`,`shipment_id`,`occurred_at`,`status`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`order_id` text NOT NULL,
	`rating` integer NOT NULL,
	`content` text,
	`created_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_order_uq` ON `reviews` (`shop_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`locale` text NOT NULL,
	`published_version_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_key_uq` ON `templates` (`shop_id`,`kind`,`channel`,`locale`);--> statement-breakpoint
CREATE TABLE `template_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`template_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`content` text NOT NULL,
	`created_by_key_id` text,
	`created_at` integer NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `template_versions_version_uq` ON `template_versions` (`template_id`,`version`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`order_id` text NOT NULL,
	`buyer_id` text,
	`kind` text NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`status` text DEFAULT 'planned' NOT NULL,
	`reason` text,
	`provider` text,
	`provider_message_id` text,
	`template_version_id` text,
	`variant` text,
	`rendered` text,
	`data` text,
	`locale` text,
	`expects_order_state` text,
	`fallback_reason` text,
	`claimed_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_expires_at` integer,
	`next_attempt_at` integer,
	`due_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	`delivered_at` integer,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_business_key_uq` ON `messages` (`shop_id`,`order_id`,`kind`,`step`,`channel`,`recipient`);--> statement-breakpoint
CREATE INDEX `messages_due_idx` ON `messages` (`due_at`) WHERE status IN ('planned', 'queued');--> statement-breakpoint
CREATE INDEX `messages_lease_idx` ON `messages` (`lease_expires_at`) WHERE status = 'sending';--> statement-breakpoint
CREATE INDEX `messages_order_idx` ON `messages` (`shop_id`,`order_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_recipient_sent_idx` ON `messages` (`shop_id`,`recipient`,`sent_at`);--> statement-breakpoint
CREATE INDEX `messages_shop_created_idx` ON `messages` (`shop_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `messages_buyer_claimed_idx` ON `messages` (`shop_id`,`buyer_id`,`claimed_at`);--> statement-breakpoint
CREATE TABLE `provider_credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`provider` text NOT NULL,
	`channel` text NOT NULL,
	`label` text DEFAULT 'default' NOT NULL,
	`ciphertext` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_credentials_shop_provider_label_uq` ON `provider_credentials` (`shop_id`,`provider`,`label`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`actor_key_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`changes` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_shop_created_idx` ON `audit_log` (`shop_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `blacklist` (
	`shop_id` text NOT NULL,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `type`, `value`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
