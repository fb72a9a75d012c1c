/** Runs are kept 7 days; the hourly purge deletes older ones and any private copy a dead run left. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { newId } from '../../shared/crypto/random';
import { purge } from './index';
import { writePrivateCopy } from './private-copy';
import { createRun, getRun, RUN_KEPT_MS } from './runs';
import type { SimulatorEnv } from './run';

const simEnv = env as unknown as SimulatorEnv;
const DAY = 86_400_000;

describe('simulation retention', () => {
  it('keeps a run 7 days, then deletes it with the copies dead runs left', async () => {
    const d = db(simEnv.SIM_DB);
    const now = new Date('2026-11-12T00:00:00Z');
    const shopId = newId('shop');
    const id = await createRun(d, shopId, { day: '2026-11-11' }, now);
    const live = { id: shopId, name: 's', webhookSecretEnc: 'x', createdAt: now, updatedAt: now } as never;
    const state = { shop: live, templates: [], versions: [], customers: [], blacklist: [] };
    await writePrivateCopy(d, `${id}_orphan`, state, {}, new Date(now.getTime() - 2 * DAY));

    expect(await getRun(d, shopId, id, new Date(now.getTime() + RUN_KEPT_MS - 1))).toMatchObject({ status: 'running' });
    expect(await getRun(d, 'another-shop', id, now)).toBeNull();
    expect(await purge(simEnv, new Date(now.getTime() + RUN_KEPT_MS - 1))).toMatchObject({ runs: 0 });
    const result = await purge(simEnv, new Date(now.getTime() + RUN_KEPT_MS));
    expect(result.runs).toBeGreaterThanOrEqual(1);
    expect(await getRun(d, shopId, id, now)).toBeNull();
    const left = await simEnv.SIM_DB.prepare('SELECT count(*) AS n FROM shops WHERE id = ?')
      .bind(`${id}_orphan`)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});
