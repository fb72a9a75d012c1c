import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { auxWorker, type AuxWorker } from './test/support/aux-workers.ts';

// Fixed test-only secrets; real ones live in .dev.vars (local) or `wrangler secret put`.
const testSecrets = {
  OPERATOR_TOKEN: 'test-operator-token',
  ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
};

/** The database ids wrangler.toml gives the live database and the simulator's. */
const LIVE_D1 = '00000000-0000-4000-8000-000000000000';
const SIM_D1 = '00000000-0000-4000-8000-000000000001';

/**
 * One vitest project per worker: its own [env.<worker>] bindings, real D1 migrated before each file,
 * and the workers it binds to as services, built from their real sources.
 */
function workerProject(
  environment: string,
  include: string[],
  services: () => Promise<AuxWorker[]> = async () => [],
  serviceBindings: Record<string, string> = {},
  d1Databases?: Record<string, string>,
) {
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
          serviceBindings,
          workers: await services(),
          ...(d1Databases ? { d1Databases } : {}),
        },
      })),
    ],
    test: { name: environment, include, setupFiles: ['./test/apply-migrations.ts'] },
  };
}

/**
 * The real gateway as an auxiliary worker (with the flow workers its service bindings call). Its
 * queues go to queues nothing consumes in these projects, so only the tests run the flows.
 */
async function gatewayStack(): Promise<AuxWorker[]> {
  const unconsumed = { DISPATCH: 'test-unconsumed-dispatch', DISPATCH_SCHEDULED: 'test-unconsumed-dispatch' };
  return [
    await auxWorker('gateway', {
      secrets: testSecrets,
      queues: {
        ...unconsumed,
        UNPAID_REMINDERS_QUEUE: 'test-unconsumed-reminders',
        THANK_YOU_QUEUE: 'test-unconsumed-thank-you',
        SHIPMENT_FOLLOWUPS_QUEUE: 'test-unconsumed-shipments',
        REVIEW_REQUESTS_QUEUE: 'test-unconsumed-reviews',
      },
      services: {
        UNPAID_REMINDERS: 'orderbell-unpaid-reminders',
        SHIPMENT_FOLLOWUPS: 'orderbell-shipment-followups',
        REVIEW_REQUESTS: 'orderbell-review-requests',
      },
    }),
    await auxWorker('unpaid-reminders', { queues: unconsumed }),
    await auxWorker('shipment-followups', { queues: unconsumed }),
    await auxWorker('review-requests', { queues: unconsumed }),
  ];
}

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one file at a time, and a file spends most of its wall time
    // starting workerd and its aux workers, not on a CPU: two at once keeps both cores busy.
    maxWorkers: 2,
    projects: [
      workerProject(
        'gateway',
        ['workers/gateway/**/*.test.ts', 'shared/**/*.test.ts', 'test/suite/**/*.test.ts'],
        async () => [
          // The console and /docs files behind the gateway's ASSETS binding.
          await auxWorker('assets', { assets: true }),
          await auxWorker('unpaid-reminders', {
            queues: { DISPATCH: 'orderbell-dispatch', DISPATCH_SCHEDULED: 'orderbell-dispatch-scheduled' },
          }),
          await auxWorker('simulator', {
            queues: { SIMULATIONS: 'test-simulations' },
            consumers: ['test-simulations'],
            durableObjects: { SIMULATION_RUNS: 'SimulationRun' },
          }),
          await auxWorker('shipment-followups', {
            queues: { DISPATCH: 'orderbell-dispatch', DISPATCH_SCHEDULED: 'orderbell-dispatch-scheduled' },
          }),
          await auxWorker('review-requests', {
            queues: { DISPATCH: 'orderbell-dispatch', DISPATCH_SCHEDULED: 'orderbell-dispatch-scheduled' },
          }),
        ],
        {},
        // The simulator's database too, so the setup migrates it for the simulator behind SIMULATOR.
        { DB: LIVE_D1, SIM_DB: SIM_D1 },
      ),
      // Cross-worker dispatcher tests (the address-correction loop) drive the real gateway too.
      workerProject('dispatcher', ['workers/dispatcher/**/*.test.ts'], gatewayStack, { GATEWAY: 'orderbell-gateway' }),
      workerProject('unpaid-reminders', ['workers/unpaid-reminders/**/*.test.ts']),
      // The thank-you tests drive the real gateway behind GATEWAY.
      workerProject('thank-you', ['workers/thank-you/**/*.test.ts'], gatewayStack, { GATEWAY: 'orderbell-gateway' }),
      workerProject('shipment-followups', ['workers/shipment-followups/**/*.test.ts']),
      workerProject('review-requests', ['workers/review-requests/**/*.test.ts']),
      // The simulator's own database, and beside it a live one that its tests drive the live
      // workers' handlers against (on a controlled clock) and count rows in. The simulator's code
      // is typed by its wrangler env, which has no DB.
      workerProject(
        'simulator',
        ['workers/simulator/**/*.test.ts'],
        async () => [],
        {},
        {
          SIM_DB: '00000000-0000-4000-8000-000000000001',
          DB: '00000000-0000-4000-8000-000000000000',
        },
      ),
      {
        // Node-side checks that need a CPU clock (workerd freezes it): the template engine's worst cases.
        test: { name: 'limits', include: ['test/limits/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // `npm test` built the console first; a stack started here must not rebuild dist/assets
          // while the browser project's stack serves it (scripts/build-console.ts).
          env: { ORDERBELL_CONSOLE_PREBUILT: '1' },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        // `npm start` killed mid-flow and started again on its state (test/restart/); `npm run test:long` only.
        test: {
          name: 'restart',
          include: ['test/restart/**/*.test.ts'],
          environment: 'node',
          env: { ORDERBELL_CONSOLE_PREBUILT: '1' },
          testTimeout: 900_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The console in a real headless Chromium against one `npm start` stack (see test/browser/).
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/browser/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
