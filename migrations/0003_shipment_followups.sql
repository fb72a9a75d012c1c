DROP INDEX `shipments_stall_check_due_idx`;--> statement-breakpoint
CREATE INDEX `shipments_shop_status_idx` ON `shipments` (`shop_id`,`status`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `shipments` DROP COLUMN `stall_check_due_at`;--> statement-breakpoint
ALTER TABLE `shops` ADD `shipment_followups` text;--> statement-breakpoint
CREATE INDEX `tracking_events_shop_time_idx` ON `tracking_events` (`shop_id`,`occurred_at`);