/** Body limits: every route answers 413 past its limit, after reading the body to its end. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../test/helpers/gateway';
import { createApp } from './app';
import { DEFAULT_BODY_BYTES, limitBody } from './body-limit';

/** A body of `bytes` in 16 KB chunks that records how much of it was read. */
function countedBody(bytes: number) {
  const read = { bytes: 0 };
  let left = bytes;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(16 * 1024, left);
      left -= n;
      read.bytes += n;
      controller.enqueue(new Uint8Array(n));
    },
  });
  return { stream, read };
}

function smallApp() {
  const app = createApp();
  app.post('/echo', limitBody(1000), async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  return app;
}

describe('limitBody', () => {
  it('passes a body within the limit through to the handler', async () => {
    const res = await smallApp().request('/echo', { method: 'POST', body: new Uint8Array(1000) }, env);
    expect(await res.json()).toEqual({ bytes: 1000 });
  });

  it('reads an oversized streamed body to its end before answering 413', async () => {
    const { stream, read } = countedBody(300_000);
    const res = await smallApp().request('/echo', { method: 'POST', body: stream, duplex: 'half' } as RequestInit, env);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(read.bytes).toBe(300_000);
  });

  it('drains a body whose content-length is over the limit as well', async () => {
    const { stream, read } = countedBody(50_000);
    const init = { method: 'POST', body: stream, duplex: 'half', headers: { 'content-length': '50000' } };
    const res = await smallApp().request('/echo', init as RequestInit, env);
    expect(res.status).toBe(413);
    expect(read.bytes).toBe(50_000);
  });
});

describe('every route has a body limit', () => {
  it.each([
    ['/v1/shops', 'POST'],
    ['/v1/shop', 'PATCH'],
    ['/v1/templates/preview', 'POST'],
    ['/v1/nowhere', 'POST'],
  ])('%s %s answers 413 past the default limit, before authentication', async (path, method) => {
    const shop = await createShop('Limits');
    const res = await call(path, {
      method,
      key: shop.api_key,
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array(DEFAULT_BODY_BYTES + 1),
    });
    expect(res.status).toBe(413);
  });
});
