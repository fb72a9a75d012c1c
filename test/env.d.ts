/** Bindings that only the test runner adds. */
declare namespace Cloudflare {
  interface Env extends GatewayEnv {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
