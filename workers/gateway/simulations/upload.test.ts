/**
 * `POST /v1/simulations` with an uploaded NDJSON file, through the real gateway and the simulator
 * behind its binding: bad lines come back numbered (nothing starts), a good file runs, and the
 * window and scope rules hold.
 */
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { orderCreated, orderPaid } from '../../../test/helpers/events';

type Detail = { path: string; message: string; line?: number };
type Run = { status: string; progress: number; report: Record<string, any> | null; error: string | null };

const at = (hhmm: string) => new Date(`2026-11-11T${hhmm}:00+08:00`).getTime();
const line = (event: unknown) => JSON.stringify(event);
const post = (key: string, json: unknown) => call('/v1/simulations', { method: 'POST', key, json });

async function finished(key: string, id: string): Promise<Run> {
  for (let i = 0; i < 300; i++) {
    const run = (await (await call(`/v1/simulations/${id}`, { key })).json()) as Run;
    if (run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('simulation did not finish');
}

describe('simulation uploads', () => {
  it('refuses a file with bad lines, naming each line, and starts nothing', async () => {
    const shop = await createShop('Upload');
    const bad = orderCreated('u-2', at('10:00'), {
      buyer: { id: 'b', phone: '12345' },
    });
    const events = [
      line(orderCreated('u-1', at('09:00'))),
      '{"type": "order.created",',
      line(bad),
      '',
      line({ type: 'order.teleported', timestamp: new Date(at('11:00')).toISOString(), data: {} }),
      line(orderPaid('u-1', at('12:00'))),
    ].join('\n');
    const res = await post(shop.api_key, { events });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: Detail[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/^events: line 2: /);
    expect(body.error.details.map((d) => d.line)).toEqual([2, 3, 5]);
    expect(body.error.details[0]).toEqual({ path: 'events:2', message: 'not valid JSON', line: 2 });
    expect(body.error.details[1]!.path).toBe('events:3.data.buyer.phone');
    expect(body.error.details[2]!.path).toMatch(/^events:5/);
  });

  it('refuses more than 50,000 events and a window over 7 days', async () => {
    const shop = await createShop('Upload limits');
    const one = line(orderCreated('many', at('09:00')));
    const tooMany = await post(shop.api_key, { events: Array(50_001).fill(one).join('\n') });
    expect(tooMany.status).toBe(400);
    const many = (await tooMany.json()) as { error: { details: Detail[] } };
    expect(many.error.details).toEqual([
      { path: 'events', message: 'at most 50000 events (line 50001 is one too many)', line: 50_001 },
    ]);
    const long = await post(shop.api_key, { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:01Z' });
    expect(long.status).toBe(400);
    const wide = [line(orderCreated('w-1', at('09:00'))), line(orderPaid('w-1', at('09:00') + 8 * 86_400_000))];
    const spread = await post(shop.api_key, { events: wide.join('\n') });
    expect(((await spread.json()) as { error: { details: Detail[] } }).error.details[0]!.path).toBe('events');
  });

  it('runs a good file and reports it; the read scope may look, not start', async () => {
    const shop = await createShop('Upload good');
    const events = [line(orderCreated('g-1', at('09:00'))), line(orderPaid('g-1', at('09:30')))].join('\n');
    const res = await post(shop.api_key, { events, horizon_hours: 1 });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const run = await finished(shop.api_key, id);
    expect(run.error).toBeNull();
    expect(run.report!.window).toEqual({
      from: '2026-11-11T01:00:00.000Z',
      to: '2026-11-11T01:30:00.001Z',
      until: '2026-11-11T02:30:00.001Z',
    });
    const thankYou = run.report!.result.messages.find((m: { kind: string }) => m.kind === 'thank_you');
    expect(thankYou).toMatchObject({ channel: 'sms', planned: 1, sent: 1 });
    expect(run.report!.result.samples[0].text).toContain('感谢');

    const readKey = await call('/v1/api-keys', {
      method: 'POST',
      key: shop.api_key,
      json: { name: 'r', scopes: ['read'] },
    });
    const { api_key: reader } = (await readKey.json()) as { api_key: string };
    expect((await call(`/v1/simulations/${id}`, { key: reader })).status).toBe(200);
    expect((await post(reader, { events })).status).toBe(403);
  });
});
