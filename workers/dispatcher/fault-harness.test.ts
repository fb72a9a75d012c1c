/**
 * The randomized fault and restart harness for delivery (issue 17, suite item 4). Each schedule is
 * seeded and reproducible: a few SMS of one order through Twilio, then a random run of steps on a
 * virtual clock:
 * - a job processed by one dispatcher, or by two or three at once (queue redelivery, two dispatchers);
 * - a dispatcher that claims and dies before calling the provider (a restart mid-batch);
 * - the provider answering 200, 500, 429 with Retry-After, 400, a network error, a hang past the
 *   timeout, or accepting and then losing its answer (a crash between accept and record);
 * - the clock moving on, and the lease reaper running.
 * Then the run drains: the reaper and every due job until each message is final.
 *
 * Twilio is not idempotent, so a call that got no answer must never be repeated: the strict case.
 * (The signed webhook and Resend are idempotent by design, their receivers dedupe on the message id,
 * so the dispatcher does retry them after no answer; faults.test.ts covers that.)
 *
 * Asserted for every schedule: no message is accepted by the provider more than once, every message
 * ends in a final status, every one not delivered carries a reason, and a delivered one was accepted.
 * `npm test` runs a few dozen schedules; `npm run test:long` runs 1,000. A failure prints its seed.
 */
import { env as testEnv } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client';
import { claim } from '../../shared/delivery/outbox';
import type { DispatchJob } from '../../shared/delivery/plan';
import { DAY, at, dispatcherEnv, plan, row, scene } from '../../test/helpers/dispatch';
import { seedCredentials } from '../../test/helpers/seed';
import { rng, type Rng } from '../../test/suite/fuzz';
import { cases, suiteSeed } from '../../test/suite/scale';
import { processJob } from './process';
import { reapExpiredLeases } from './reaper';

const FINAL = ['delivered', 'sent', 'failed', 'dead', 'skipped', 'cancelled'];
const KINDS = ['shipped', 'arrived_in_city', 'out_for_delivery', 'delivered'] as const;
const TIMEOUT_MS = 20;

type Answer = 'ok' | '500' | '429' | '400' | 'network' | 'hang' | 'accept-lost';
const ANSWERS: [Answer, number][] = [
  ['ok', 45],
  ['500', 12],
  ['429', 8],
  ['400', 5],
  ['network', 8],
  ['hang', 10],
  ['accept-lost', 12],
];

const TWILIO = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'token', from: '+15005550006' };
const MESSAGES_URL = `https://api.twilio.com/2010-04-01/Accounts/${TWILIO.accountSid}/Messages`;

/**
 * Twilio, with every answer to a send drawn from the schedule's generator. It knows each message by
 * its text, counts what it accepted per message, and answers the reaper's lookups by SID.
 */
function randomTwilio(r: Rng, idOfBody: (body: string) => string) {
  const accepted = new Map<string, number>();
  const sids = new Set<string>();
  let calm = false;
  const draw = (): Answer => {
    if (calm) return 'ok';
    let x = r.int(100);
    for (const [answer, weight] of ANSWERS) if ((x -= weight) < 0) return answer;
    return 'ok';
  };
  const accept = (id: string) => {
    accepted.set(id, (accepted.get(id) ?? 0) + 1);
    const sid = `SM${crypto.randomUUID().replaceAll('-', '')}`;
    sids.add(sid);
    return sid;
  };
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.method === 'GET') {
      const sid = /\/Messages\/(SM[0-9a-f]+)\.json$/.exec(request.url)?.[1];
      if (!sid || !sids.has(sid)) return new Response('{"code":20404}', { status: 404 });
      return Response.json({ sid, status: 'delivered' });
    }
    if (request.url !== `${MESSAGES_URL}.json`) throw new Error(`unexpected request to ${request.url}`);
    const id = idOfBody(new URLSearchParams(await request.text()).get('Body') ?? '');
    const answer = draw();
    if (answer === 'network') throw new TypeError('Network connection lost.');
    if (answer === 'hang' || answer === 'accept-lost') {
      if (answer === 'accept-lost') accept(id);
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(init.signal!.reason ?? new DOMException('aborted', 'AbortError')),
        );
      });
    }
    if (answer === 'ok') return Response.json({ sid: accept(id), status: 'queued' }, { status: 201 });
    if (answer === '429') return Response.json({ code: 20429 }, { status: 429, headers: { 'retry-after': '1' } });
    return Response.json({ code: answer === '400' ? 21211 : 20500, message: 'no' }, { status: Number(answer) });
  };
  return { fetch: fetcher as typeof fetch, accepted, calmDown: () => (calm = true) };
}

async function runSchedule(seed: number) {
  const r = rng(seed);
  const s = await scene({ default_route: ['sms'], providers: { sms: ['twilio'] } }, { webhook: false });
  await seedCredentials(s.shop.id, 'twilio', 'sms', TWILIO);
  const jobs: DispatchJob[] = [];
  for (const kind of KINDS.slice(0, 2 + r.int(KINDS.length - 1))) jobs.push(await plan(s, kind, DAY));
  const bodies = new Map<string, string>();
  for (const j of jobs) bodies.set(((await row(j.messageId)).rendered as { body: string }).body, j.messageId);
  const provider = randomTwilio(r, (body) => {
    const id = bodies.get(body);
    if (!id) throw new Error(`Twilio got a text no message has: ${body}`);
    return id;
  });
  const dispatchers = [dispatcherEnv(), dispatcherEnv()];
  const options = { providerTimeoutMs: TIMEOUT_MS };
  let now = DAY;

  for (let step = 0; step < 25; step++) {
    const action = r.int(10);
    const job = r.pick(jobs);
    if (action < 5) {
      // One dispatcher, or the same job at once on several (redelivery, a second dispatcher).
      const copies = 1 + (r.next() < 0.3 ? 1 + r.int(2) : 0);
      await Promise.all(
        Array.from({ length: copies }, (_, i) => processJob(dispatchers[i % 2]!, job, now, provider.fetch, options)),
      );
    } else if (action < 6) {
      // A dispatcher claims, then dies before any provider call.
      await claim(db(testEnv.DB), job.shopId, job.messageId, now);
    } else if (action < 8) {
      now = at(now, r.int(4 * 60_000));
    } else {
      await reapExpiredLeases(db(testEnv.DB), testEnv.ENCRYPTION_KEY, now, provider.fetch);
    }
  }

  // Drain: the provider settles down; leases run out and are reaped; every due job is delivered.
  provider.calmDown();
  for (let round = 0; round < 40; round++) {
    now = at(now, 3 * 60_000);
    await reapExpiredLeases(db(testEnv.DB), testEnv.ENCRYPTION_KEY, now, provider.fetch);
    const rows = await Promise.all(jobs.map((j) => row(j.messageId)));
    const open = rows.filter((m) => !FINAL.includes(m.status));
    if (open.length === 0) break;
    for (const m of open) {
      const due = m.dueAt && m.dueAt > now ? m.dueAt : now;
      now = due > now ? due : now;
      await processJob(dispatchers[0]!, { shopId: m.shopId, messageId: m.id }, now, provider.fetch, options);
    }
  }

  const rows = await Promise.all(jobs.map((j) => row(j.messageId)));
  return { rows, accepted: provider.accepted };
}

describe('randomized delivery faults and restarts', () => {
  const schedules = cases(24, 1_000);
  it(
    `${schedules} seeded schedules: never accepted twice, every message final with a reason`,
    async () => {
      const totals = { schedules: 0, messages: 0, delivered: 0, dead: 0, failed: 0 };
      for (let i = 0; i < schedules; i++) {
        const seed = (suiteSeed + i * 7919) >>> 0;
        const { rows, accepted } = await runSchedule(seed);
        const where = `schedule seed ${seed} (replay with ORDERBELL_SEED=${suiteSeed}, schedule ${i})`;
        for (const m of rows) {
          const times = accepted.get(m.id) ?? 0;
          expect(times, `${where}: ${m.id} accepted ${times} times`).toBeLessThanOrEqual(1);
          expect(FINAL, `${where}: ${m.id} ended ${m.status}`).toContain(m.status);
          // sent (Twilio took it) and delivered are the successes: the provider must have accepted it once.
          if (m.status === 'delivered' || m.status === 'sent')
            expect(times, `${where}: ${m.id} ${m.status} unaccepted`).toBe(1);
          else expect(m.reason, `${where}: ${m.id} ${m.status} without a reason`).toBeTruthy();
          totals.messages++;
          if (m.status === 'sent') totals.delivered++;
          if (m.status === 'delivered' || m.status === 'dead' || m.status === 'failed') totals[m.status]++;
        }
        totals.schedules++;
      }
      console.log(JSON.stringify({ msg: 'delivery fault harness', seed: suiteSeed, ...totals }));
      // The schedules must actually reach the hard cases, or the harness proves nothing.
      expect(totals.delivered).toBeGreaterThan(0);
      expect(totals.dead + totals.failed).toBeGreaterThan(0);
    },
    30_000 + schedules * 3_000,
  );
});
