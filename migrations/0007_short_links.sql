CREATE TABLE `short_links` (
	`code` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`variant` text NOT NULL,
	`destination` text NOT NULL,
	`expires_at` integer NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`first_click_at` integer,
	`last_click_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `short_links_message_idx` ON `short_links` (`shop_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `short_links_created_idx` ON `short_links` (`shop_id`,`created_at`);