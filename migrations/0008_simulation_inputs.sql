CREATE TABLE `simulation_inputs` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`chunk` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`)
);
