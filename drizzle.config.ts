import { defineConfig } from 'drizzle-kit';

// Migrations land flat in ./migrations (NNNN_name.sql), the folder wrangler applies.
export default defineConfig({
  dialect: 'sqlite',
  schema: './shared/db/schema/index.ts',
  out: './migrations',
});
