/**
 * The reminder figure's planning floor (issue 16 item 3): a bench-only worker on the same workerd and
 * D1 as the reminder worker. `POST /insert-floor?n=N` with a message row as JSON (one the pass
 * planned, read back from D1 by the bench) inserts N copies of it, each with a new id and order id,
 * as one raw `INSERT` per row in D1 batches of 200 (the pass's batch size): what writing the pass's
 * messages costs with no claim, no reads, no rendering and no queue.
 */
type Env = { DB: D1Database };
const BATCH = 200;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/insert-floor')
      return new Response('not found', { status: 404 });
    const n = Number(url.searchParams.get('n'));
    if (!Number.isInteger(n) || n < 1 || n > 100_000) return new Response('n must be 1..100000', { status: 400 });
    const row = (await request.json()) as Record<string, unknown>;
    const columns = Object.keys(row);
    const sql = `INSERT INTO messages (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const tag = crypto.randomUUID().slice(0, 8);
    for (let start = 0; start < n; start += BATCH) {
      const statements: D1PreparedStatement[] = [];
      for (let i = start; i < Math.min(n, start + BATCH); i++) {
        const values = columns.map((c) =>
          c === 'id' ? `msg_floor_${tag}_${i}` : c === 'order_id' ? `floor-${tag}-${i}` : row[c],
        );
        statements.push(env.DB.prepare(sql).bind(...values));
      }
      await env.DB.batch(statements);
    }
    return Response.json({ inserted: n });
  },
} satisfies ExportedHandler<Env>;
