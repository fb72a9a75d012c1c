CREATE TABLE `flow_timers` (
	`shop_id` text NOT NULL,
	`flow` text NOT NULL,
	`order_id` text NOT NULL,
	`step` text NOT NULL,
	`due_at` integer,
	`event_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `flow`, `order_id`, `step`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `flow_timers_due_idx` ON `flow_timers` (`flow`,`due_at`) WHERE due_at IS NOT NULL;--> statement-breakpoint
DROP INDEX `orders_reminder_due_idx`;--> statement-breakpoint
DROP INDEX `orders_preclose_due_idx`;--> statement-breakpoint
DROP INDEX `orders_thank_you_due_idx`;--> statement-breakpoint
DROP INDEX `orders_review_due_idx`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `reminder_due_at`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `preclose_due_at`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `thank_you_due_at`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `review_due_at`;--> statement-breakpoint
ALTER TABLE `messages` ADD `purpose` text DEFAULT 'flow' NOT NULL;