import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { coalescedD1 } from './coalesced-d1';

/** The real binding, counting what reaches it: one entry per round trip. */
function counted(d1: D1Database) {
  const trips: string[] = [];
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    ({
      bind: (...v: unknown[]) => wrap(stmt.bind(...v), sql),
      run: () => (trips.push(`run ${sql}`), stmt.run()),
      all: () => (trips.push(`all ${sql}`), stmt.all()),
      first: (c?: string) => (trips.push(`first ${sql}`), c === undefined ? stmt.first() : stmt.first(c)),
      raw: () => (trips.push(`raw ${sql}`), stmt.raw()),
      inner: stmt,
    }) as unknown as D1PreparedStatement;
  const binding = {
    prepare: (sql: string) => wrap(d1.prepare(sql), sql),
    batch: (stmts: D1PreparedStatement[]) => (
      trips.push(`batch ${stmts.length}`),
      d1.batch(stmts.map((s) => (s as unknown as { inner: D1PreparedStatement }).inner))
    ),
  } as unknown as D1Database;
  return { binding, trips };
}

beforeEach(async () => {
  await env.DB.exec('DROP TABLE IF EXISTS t; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)');
  await env.DB.prepare("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20)").run();
});

describe('coalescedD1', () => {
  it('answers concurrent calls as the plain binding does, in one round trip', async () => {
    const { binding, trips } = counted(env.DB);
    const d1 = coalescedD1(binding);
    const plain = env.DB;
    const ask = (db: D1Database) =>
      Promise.all([
        db.prepare('SELECT id, name, n FROM t WHERE id = ?').bind(1).raw(),
        db.prepare('SELECT * FROM t ORDER BY id').all(),
        db.prepare('SELECT name FROM t WHERE id = ?').bind(2).first('name'),
        db.prepare('SELECT * FROM t WHERE id = ?').bind(2).first(),
        db.prepare('SELECT * FROM t WHERE id = ?').bind(9).first(),
      ]);
    const shared = await ask(d1);
    expect(trips).toEqual(['batch 5']);
    const direct = await ask(plain);
    expect(shared[0]).toEqual(direct[0]);
    expect(shared[0]).toEqual([[1, 'a', 10]]);
    expect((shared[1] as D1Result).results).toEqual((direct[1] as D1Result).results);
    expect(shared.slice(2)).toEqual(['b', { id: 2, name: 'b', n: 20 }, null]);
  });

  it("keeps each caller's order, so a job reads its own write", async () => {
    const d1 = coalescedD1(env.DB);
    const job = async (id: number) => {
      await d1.prepare('UPDATE t SET n = n + 1 WHERE id = ?').bind(id).run();
      return d1.prepare('SELECT n FROM t WHERE id = ?').bind(id).first('n');
    };
    expect(await Promise.all([job(1), job(2), job(1)])).toEqual([12, 21, 12]);
  });

  it('a failing statement fails only its caller; the others are written', async () => {
    const { binding, trips } = counted(env.DB);
    const d1 = coalescedD1(binding);
    const insert = (id: number, name: string) => d1.prepare('INSERT INTO t VALUES (?, ?, 0)').bind(id, name).run();
    const results = await Promise.allSettled([
      insert(3, 'c'),
      insert(4, 'a'), // name taken
      d1.batch([d1.prepare("INSERT INTO t VALUES (5, 'e', 0)"), d1.prepare("INSERT INTO t VALUES (6, 'f', 0)")]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: t\.name/);
    expect(trips[0]).toBe('batch 4');
    const { results: rows } = await env.DB.prepare('SELECT id FROM t ORDER BY id').all();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 5, 6]);
  });

  it('never shares a read with a JOIN, and refuses a shared raw row whose column order is unknowable', async () => {
    const { binding, trips } = counted(env.DB);
    const d1 = coalescedD1(binding);
    const [joined, other] = await Promise.all([
      d1.prepare('SELECT a.id, b.id FROM t a JOIN t b ON b.id = a.id WHERE a.id = 1').raw(),
      d1.prepare('SELECT id FROM t WHERE id = 2').raw(),
    ]);
    expect(joined).toEqual([[1, 1]]);
    expect(other).toEqual([[2]]);
    expect(trips[0]).toMatch(/^raw SELECT a\.id, b\.id/);

    const read = Promise.all([
      d1.prepare('SELECT id, 7 AS "7" FROM t WHERE id = 1').raw(),
      d1.prepare('SELECT id FROM t WHERE id = 2').raw(),
    ]);
    await expect(read).rejects.toThrow(/integer-like column name/);
  });

  it('runs a call asked alone on the plain binding', async () => {
    const { binding, trips } = counted(env.DB);
    const d1 = coalescedD1(binding);
    expect(await d1.prepare('SELECT n FROM t WHERE id = ?').bind(1).first('n')).toBe(10);
    expect(trips).toEqual(['first SELECT n FROM t WHERE id = ?']);
  });
});
