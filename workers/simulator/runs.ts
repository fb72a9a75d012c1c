/**
 * The run rows in the simulator's database: created running, progress while the clock moves, then
 * the report or the error. A run is read only under the shop that asked, and kept 7 days.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { newId } from '../../shared/crypto/random';
import { simulations } from '../../shared/db/schema';
import type { RunView } from '../../shared/simulation/rpc';

export const RUN_KEPT_MS = 7 * 24 * 3_600_000;

export async function createRun(d: Db, shopId: string, request: Record<string, unknown>, now: Date): Promise<string> {
  const id = newId('sim');
  await d.insert(simulations).values({
    id,
    shopId,
    status: 'running',
    request,
    createdAt: now,
    expiresAt: new Date(now.getTime() + RUN_KEPT_MS),
  });
  return id;
}

export const setProgress = (d: Db, id: string, progress: number, phase: string) =>
  d
    .update(simulations)
    .set({ progress, phase })
    .where(and(eq(simulations.id, id), eq(simulations.status, 'running')));

export const finishRun = (d: Db, id: string, report: Record<string, unknown>, now: Date) =>
  d
    .update(simulations)
    .set({ status: 'done', progress: 1, phase: 'done', report, finishedAt: now })
    .where(and(eq(simulations.id, id), eq(simulations.status, 'running')));

export const failRun = (d: Db, id: string, error: string, now: Date) =>
  d
    .update(simulations)
    .set({ status: 'failed', phase: 'failed', error, finishedAt: now })
    .where(and(eq(simulations.id, id), eq(simulations.status, 'running')));

export async function getRun(d: Db, shopId: string, id: string, now: Date): Promise<RunView | null> {
  const run = await d.query.simulations.findFirst({
    where: and(eq(simulations.shopId, shopId), eq(simulations.id, id), gt(simulations.expiresAt, now)),
  });
  if (!run) return null;
  return {
    id: run.id,
    status: run.status,
    progress: run.progress,
    phase: run.phase,
    request: run.request,
    report: run.report ?? null,
    error: run.error,
    created_at: run.createdAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    expires_at: run.expiresAt.toISOString(),
  };
}

/** Deletes runs past their 7 days; returns how many. */
export async function purgeRuns(d: Db, now: Date): Promise<number> {
  const gone = await d.delete(simulations).where(lte(simulations.expiresAt, now)).returning({ id: simulations.id });
  return gone.length;
}
