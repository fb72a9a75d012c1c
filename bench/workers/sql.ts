/**
 * A bench-only worker: `POST /__bench/sql` with `{ "sql": "...", "params": [...] }` runs the one
 * statement on the gateway's D1 and answers its rows as JSON. Every bench stack runs it, on
 * loopback only; nothing deploys it.
 *
 * The bench reads D1 through this route while the stack is busy, not through Miniflare's binding
 * proxy (`mf.getD1Database`): the proxy makes `prepare`, `bind` and each statement's first `all`
 * synchronous calls that block Node's main thread until workerd answers, and while Node is blocked
 * nobody drains workerd's stdout, so a stack that logs more than the pipe holds hangs both processes
 * (scripts/lib/scheduled.ts).
 */
type Env = { DB: D1Database };
type Query = { sql?: unknown; params?: unknown };

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST a {"sql", "params"} body\n', { status: 405 });
    const { sql, params = [] } = await request.json<Query>();
    if (typeof sql !== 'string' || !Array.isArray(params)) {
      return new Response('the body must be {"sql": string, "params": array}\n', { status: 400 });
    }
    try {
      const { results } = await env.DB.prepare(sql)
        .bind(...params)
        .all();
      return Response.json(results);
    } catch (error) {
      return new Response(`${String(error)}\n`, { status: 400 });
    }
  },
};
