/**
 * A loopback fake provider for the delivery and peak figures: a Node HTTP server that answers every
 * POST after 50 ms, counts requests and accepted answers per `webhook-id` (orderbell's message id),
 * measures the sends in flight, and injects transient faults: a 503 to the first attempt of the ids
 * in `faulty`, or of every `faultEvery`-th distinct id it sees.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PROVIDER_DELAY_MS = 50;

export type FakeProvider = {
  server: Server;
  url: string;
  /** Accepted answers per webhook-id. */
  counts: Map<string, number>;
  /** Answers of any status per webhook-id. */
  answered: Map<string, number>;
  /** Ids whose first attempt is answered 503. */
  faulty: Set<string>;
  /** When (performance.now()) each id got its first answer of any status, and its first accepted one. */
  firstAnswerAt: Map<string, number>;
  acceptedAt: Map<string, number>;
  reset(): void;
  stats(): {
    requests: number;
    distinct: number;
    duplicates: number;
    max_in_flight: number;
    mean_in_flight: number;
    last_answer_at: number;
  };
};

export async function startFakeProvider(options: { faultEvery?: number } = {}): Promise<FakeProvider> {
  const counts = new Map<string, number>();
  const answered = new Map<string, number>();
  const faulty = new Set<string>();
  const firstAnswerAt = new Map<string, number>();
  const acceptedAt = new Map<string, number>();
  const seen = new Set<string>();
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let busyArea = 0; // ∫ in-flight dt, for the time-weighted mean
  let lastChange = performance.now();
  let windowStart = performance.now();
  let lastAnswerAt = 0;
  const change = (delta: number) => {
    const now = performance.now();
    busyArea += inFlight * (now - lastChange);
    lastChange = now;
    inFlight += delta;
    maxInFlight = Math.max(maxInFlight, inFlight);
  };
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    requests += 1;
    if (!seen.has(id)) {
      seen.add(id);
      if (options.faultEvery && seen.size % options.faultEvery === 0) faulty.add(id);
    }
    change(+1);
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        const fault = faulty.delete(id);
        answered.set(id, (answered.get(id) ?? 0) + 1);
        if (!fault) counts.set(id, (counts.get(id) ?? 0) + 1);
        const at = performance.now();
        if (!firstAnswerAt.has(id)) firstAnswerAt.set(id, at);
        if (!fault && !acceptedAt.has(id)) acceptedAt.set(id, at);
        res.writeHead(fault ? 503 : 200, { 'content-type': 'application/json' });
        res.end(fault ? '{"error":"injected"}' : '{"ok":true}');
        lastAnswerAt = performance.now();
        change(-1);
      }, PROVIDER_DELAY_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/hook`,
    counts,
    answered,
    faulty,
    firstAnswerAt,
    acceptedAt,
    reset() {
      counts.clear();
      answered.clear();
      firstAnswerAt.clear();
      acceptedAt.clear();
      seen.clear();
      requests = 0;
      maxInFlight = inFlight;
      busyArea = 0;
      lastChange = windowStart = performance.now();
    },
    stats() {
      const now = lastAnswerAt || performance.now();
      const area = busyArea + inFlight * Math.max(0, now - lastChange);
      let duplicates = 0;
      for (const n of counts.values()) duplicates += n - 1;
      return {
        requests,
        distinct: counts.size,
        duplicates,
        max_in_flight: maxInFlight,
        mean_in_flight: Math.round((area / Math.max(1, now - windowStart)) * 100) / 100,
        last_answer_at: lastAnswerAt,
      };
    },
  };
}
