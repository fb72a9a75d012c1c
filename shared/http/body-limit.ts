/**
 * Request body limits that always answer. Hono's bodyLimit answers 413 without reading the rest of
 * an oversized body; the client is still sending, the connection closes with unread bytes, and
 * under load the client sees a reset instead of the 413. Here an oversized body is read to its end
 * and discarded (up to DRAIN_BYTES) before the 413 is written, so the answer arrives first.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app';
import { ApiError } from './errors';

/** Bodies larger than this are not drained; the connection is closed after the 413. */
export const DRAIN_BYTES = 16 * 1024 * 1024;
/** Every route's limit unless it sets a smaller one (the largest route limit, inbound pushes). */
export const DEFAULT_BODY_BYTES = 1024 * 1024;
/** `POST /v1/simulations`: room for an NDJSON upload of 50,000 events of about 600 bytes. */
export const SIMULATION_UPLOAD_BYTES = 32 * 1024 * 1024;

type OnTooLarge = (c: Context<AppEnv>) => Response | Promise<Response>;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, already: number): Promise<boolean> {
  let size = already;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    size += value.length;
    if (size > DRAIN_BYTES) {
      await reader.cancel().catch(() => {});
      return false;
    }
  }
}

export function limitBody(maxBytes: number, onTooLarge?: OnTooLarge): MiddlewareHandler<AppEnv> {
  const tooLarge = async (c: Context<AppEnv>, drained: boolean) => {
    if (!drained) c.header('connection', 'close');
    if (onTooLarge) return onTooLarge(c);
    throw new ApiError('payload_too_large', `Body exceeds ${maxBytes} bytes`);
  };
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = Number(c.req.header('content-length') ?? NaN);
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (declared <= maxBytes && !chunked) {
      // A declared length within the limit bounds the body: read it whole, once. Hono keeps it,
      // so the route's own read costs nothing (the common case, and the intake's hot path).
      const whole = await c.req.arrayBuffer();
      return whole.byteLength > maxBytes ? tooLarge(c, true) : next();
    }
    if (declared > maxBytes && !chunked) {
      // An outer limit may have read it already (whole, so nothing is left to drain).
      if (body.locked || c.req.raw.bodyUsed) return tooLarge(c, true);
      return tooLarge(c, await drain(body.getReader(), 0));
    }
    const reader = body.getReader();
    let size = 0;
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) return tooLarge(c, await drain(reader, size));
      chunks.push(value);
    }
    const buffer = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      buffer.set(chunk, offset);
      offset += chunk.length;
    }
    c.req.raw = new Request(c.req.raw, { body: buffer });
    return next();
  };
}
