ALTER TABLE `customers` ADD `timezone` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `timezone_source` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `send_by` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `clock` text;