CREATE TABLE `integrations` (
	`shop_id` text NOT NULL,
	`platform` text NOT NULL,
	`ciphertext` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `platform`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tracking_subscriptions` (
	`shop_id` text NOT NULL,
	`platform` text NOT NULL,
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`company` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`due_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `platform`, `carrier`, `tracking_number`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tracking_subscriptions_due_idx` ON `tracking_subscriptions` (`due_at`) WHERE due_at IS NOT NULL;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `source` text DEFAULT 'native' NOT NULL;--> statement-breakpoint
CREATE INDEX `shipments_number_idx` ON `shipments` (`shop_id`,`tracking_number`);