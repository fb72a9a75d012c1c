CREATE TABLE `cases` (
	`shop_id` text NOT NULL,
	`order_id` text NOT NULL,
	`id` text NOT NULL,
	`kind` text,
	`opened_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `order_id`, `id`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_holds` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`order_id` text NOT NULL,
	`step` text NOT NULL,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_holds_order_idx` ON `review_holds` (`shop_id`,`order_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `shops` ADD `review_requests` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `alert` text DEFAULT 'none' NOT NULL;--> statement-breakpoint
CREATE INDEX `reviews_alert_pending_idx` ON `reviews` (`shop_id`,`received_at`) WHERE alert = 'pending';