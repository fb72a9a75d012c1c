/** Applies the real D1 migrations (the same files wrangler applies) before each test file. */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The simulator project has its own database as well; it takes the same migrations.
if (env.SIM_DB) await applyD1Migrations(env.SIM_DB, env.TEST_MIGRATIONS);
