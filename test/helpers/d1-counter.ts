/**
 * Runs the gateway with a D1 binding that counts round trips (one per statement run, one per batch),
 * so a test can assert that work stays batched however large the input.
 */
import { env } from 'cloudflare:workers';
import gateway from '../../workers/gateway/index';

/** `sql`, when given, also collects the text of every statement prepared. */
export type Counted = { roundTrips: number; statements: number; sql?: string[] };

export function countingD1(d1: D1Database, counts: Counted): D1Database {
  const wrapStatement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => wrapStatement(value.apply(target, args));
        if (['all', 'run', 'first', 'raw'].includes(String(prop))) {
          return (...args: unknown[]) => {
            counts.roundTrips++;
            counts.statements++;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'prepare')
        return (sql: string) => {
          counts.sql?.push(sql);
          return wrapStatement(target.prepare(sql));
        };
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          counts.roundTrips++;
          counts.statements += statements.length;
          return target.batch(statements);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Sends `request` through the gateway with a counting D1; returns the response and the counts. */
export async function fetchCounted(request: Request): Promise<{ res: Response; counts: Counted }> {
  const counts: Counted = { roundTrips: 0, statements: 0 };
  const countedEnv = { ...env, DB: countingD1(env.DB, counts) };
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  const res = await gateway.fetch(request, countedEnv as Cloudflare.GatewayEnv, ctx);
  return { res, counts };
}
