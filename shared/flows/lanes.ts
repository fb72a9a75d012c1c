import { groupBy } from '../lang/group-by';

/**
 * Work in lanes: items of one lane (one order) one after another, in the order given; lanes at once,
 * at most `limit` at a time. Used by the flow consumers and the flows' passes, whose work runs on a
 * binding that lets concurrent queries share D1 round trips (shared/db/coalesced-d1.ts).
 *
 * An item that throws does not stop the others, its lane's included (each is its own job or timer,
 * retried or come due again on its own); the first error is thrown once every lane is done.
 */
export async function inLanes<T>(
  items: readonly T[],
  laneOf: (item: T) => string,
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  const waiting = [...groupBy(items, laneOf).values()];
  const errors: unknown[] = [];
  const runner = async () => {
    for (let lane = waiting.shift(); lane; lane = waiting.shift()) {
      for (const item of lane) await work(item).catch((error: unknown) => void errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), waiting.length) }, runner));
  if (errors.length > 0) throw errors[0];
}

/** The lane of an order's work. */
export const orderLane = (t: { shopId: string; orderId: string }) => `${t.shopId}\n${t.orderId}`;
