/**
 * Test doubles for the adapter tests (imported only by *.test.ts): a fetch
 * that answers a fixed queue of replies, records each request exactly as a
 * provider would receive it, and refuses anything beyond the queue; a fixed
 * clock; and an outbound message builder.
 */
import type { OutboundMessage, SendContext } from '../types';

export type RecordedRequest = {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  redirect: string;
};
export type Reply = Response | Error;

/** 2026-03-01T08:00:00Z: unix 1772352000. */
export const NOW = new Date('2026-03-01T08:00:00.000Z');

export function fakeFetch(...replies: Reply[]) {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
      redirect: request.redirect,
    };
    const reply = queue.shift();
    if (!reply) {
      unexpected.push(recorded);
      throw new Error(`unexpected request: ${recorded.method} ${recorded.url}`);
    }
    requests.push(recorded);
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    /** Throws if any request was refused or any queued reply was never asked for. */
    assertDone() {
      if (unexpected.length > 0) throw new Error(`unexpected requests: ${JSON.stringify(unexpected)}`);
      if (queue.length > 0) throw new Error(`${queue.length} queued replies were never requested`);
    },
  };
}

export type FakeFetch = ReturnType<typeof fakeFetch>;

export function contextWith(fake: FakeFetch, bindings?: SendContext['bindings']): SendContext {
  return { fetch: fake.fetch, now: () => NOW, bindings };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: 'msg_01TEST',
    shopId: 'shop_01TEST',
    orderId: 'A1001',
    kind: 'shipped',
    transactional: true,
    channel: 'email',
    recipient: 'buyer@example.com',
    rendered: { subject: 'Your order shipped', html: '<p>Shipped</p>', text: 'Shipped' },
    data: {},
    ...overrides,
  };
}
