/** Bindings and the main module that only the test runner adds. */
declare namespace Cloudflare {
  interface Env extends GatewayEnv, DispatcherEnv, ThankYouEnv, Partial<SimulatorEnv> {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** The real gateway, in the thank-you project (vitest.config.ts). */
    GATEWAY: Fetcher;
  }
  interface GlobalProps {
    mainModule: typeof import('../workers/gateway/index') & Partial<typeof import('../workers/simulator/index')>;
  }
}
