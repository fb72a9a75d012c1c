import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { auxWorker, type AuxWorker } from './test/support/aux-workers.ts';

// Fixed test-only secrets; real ones live in .dev.vars (local) or `wrangler secret put`.
const testSecrets = {
  OPERATOR_TOKEN: 'test-operator-token',
  ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
};

/**
 * One vitest project per worker: its own [env.<worker>] bindings, real D1 migrated before each file,
 * and the workers it binds to as services, built from their real sources.
 */
function workerProject(environment: string, include: string[], services: () => Promise<AuxWorker[]> = async () => []) {
  return {
    plugins: [
      cloudflareTest(async () => ({
        wrangler: { configPath: './wrangler.toml', environment },
        miniflare: {
          bindings: {
            ...testSecrets,
            TEST_MIGRATIONS: await readD1Migrations('./migrations'),
            // The randomized suite's scale and seed (test/suite/scale.ts): `npm run test:long` sets ORDERBELL_LONG=1.
            SUITE_LONG: process.env.ORDERBELL_LONG ?? '',
            SUITE_SEED: process.env.ORDERBELL_SEED ?? '',
          },
          workers: await services(),
        },
      })),
    ],
    test: { name: environment, include, setupFiles: ['./test/apply-migrations.ts'] },
  };
}

export default defineConfig({
  test: {
    projects: [
      workerProject(
        'gateway',
        ['workers/gateway/**/*.test.ts', 'shared/**/*.test.ts', 'test/suite/**/*.test.ts'],
        async () => [
          await auxWorker('unpaid-reminders', {
            queues: { DISPATCH: 'orderbell-dispatch' },
          }),
        ],
      ),
      workerProject('dispatcher', ['workers/dispatcher/**/*.test.ts']),
      workerProject('unpaid-reminders', ['workers/unpaid-reminders/**/*.test.ts']),
      workerProject('thank-you', ['workers/thank-you/**/*.test.ts']),
      {
        // Node-side checks that need a CPU clock (workerd freezes it): the template engine's worst cases.
        test: { name: 'limits', include: ['test/limits/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
