/**
 * Parking a run's input in the simulator's database between `start` and the queue consumer: its
 * JSON (dates kept as dates) in slices small enough for a D1 row, written in one batch, read back
 * in order and deleted when taken.
 */
import { asc, eq } from 'drizzle-orm';
import { runBatch, type Db } from '../../shared/db/client';
import { simulationInputs } from '../../shared/db/schema';
import type { SimulationInput } from '../../shared/simulation/input';

/** Characters per slice: at most 1.2 MB of UTF-8, under D1's 2 MB row. */
const SLICE = 400_000;

function replacer(this: Record<string, unknown>, key: string, value: unknown) {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.getTime() } : value;
}

const reviver = (_key: string, value: unknown) =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, '$date')
    ? new Date((value as { $date: number }).$date)
    : value;

export async function parkInput(d: Db, runId: string, input: SimulationInput) {
  const json = JSON.stringify(input, replacer);
  const rows = [];
  for (let i = 0, seq = 0; i < json.length; i += SLICE, seq++) {
    rows.push(d.insert(simulationInputs).values({ runId, seq, chunk: json.slice(i, i + SLICE) }));
  }
  await runBatch(d, rows);
}

/** The parked input, removed; undefined when it was already taken. */
export async function takeInput(d: Db, runId: string): Promise<SimulationInput | undefined> {
  const rows = await d
    .select({ chunk: simulationInputs.chunk })
    .from(simulationInputs)
    .where(eq(simulationInputs.runId, runId))
    .orderBy(asc(simulationInputs.seq));
  if (rows.length === 0) return undefined;
  await d.delete(simulationInputs).where(eq(simulationInputs.runId, runId));
  return JSON.parse(rows.map((r) => r.chunk).join(''), reviver) as SimulationInput;
}
