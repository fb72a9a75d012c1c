CREATE TABLE `simulations` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`status` text NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`phase` text DEFAULT '' NOT NULL,
	`request` text NOT NULL,
	`report` text,
	`error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `simulations_shop_idx` ON `simulations` (`shop_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `simulations_expiry_idx` ON `simulations` (`expires_at`);--> statement-breakpoint
CREATE TABLE `simulation_inputs` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`chunk` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`)
);
