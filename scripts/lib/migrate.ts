/**
 * Applies D1 migrations to the local, persisted databases with wrangler itself
 * (`wrangler d1 migrations apply <binding> --local --env <env> --persist-to <stateDir>`), so the
 * migration bookkeeping (the d1_migrations table) is wrangler's own. A database bound by several
 * envs is migrated once, through the first env that binds it with a migrations_dir.
 */
import { runWrangler, type WorkerConfig } from './wrangler.ts';

export async function applyMigrations(workers: WorkerConfig[], stateDir: string): Promise<void> {
  const seen = new Set<string>();
  for (const worker of workers) {
    for (const db of worker.d1) {
      if (!db.migrationsDir || seen.has(db.id)) continue;
      seen.add(db.id);
      const args = ['d1', 'migrations', 'apply', db.binding, '--local', '--env', worker.env];
      const output = await runWrangler([...args, '--persist-to', stateDir]);
      const applied = output.match(/^│\s*\S+\.sql\s*│\s*✅/gmu)?.length ?? 0;
      console.log(
        applied > 0
          ? `D1 ${db.binding}: applied ${applied} migration${applied === 1 ? '' : 's'}.`
          : `D1 ${db.binding}: migrations up to date.`,
      );
    }
  }
}
