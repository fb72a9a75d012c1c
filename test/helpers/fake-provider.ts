/**
 * A scripted fake of a shop's webhook endpoint for dispatcher fault tests. It
 * records every request, counts sends per `webhook-id` (orderbell's message
 * id), answers from a script, and refuses any other URL or any request beyond
 * the script. Adapters turn a thrown fetch into a transient error, so a refusal
 * alone would not fail a test: `assertClean()` (run after each test through
 * `assertProvidersClean`) does.
 */
export type Answer =
  /** An HTTP status with an empty body. */
  | number
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** A network failure: fetch throws a TypeError. */
  | 'network'
  /** No answer until the request's AbortSignal fires (a timeout); forever without one. */
  | 'hang';

export type SeenRequest = {
  method: string;
  url: string;
  id: string | null;
  headers: Record<string, string>;
  body: string;
  outcome: 'accepted' | 'refused' | 'failed' | 'aborted';
};

const live = new Set<FakeProvider>();

export class FakeProvider {
  readonly requests: SeenRequest[] = [];
  readonly unexpected: string[] = [];
  /** The most scripted answers that were being awaited at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly script: Answer[];

  constructor(
    readonly url: string,
    script: Answer[] = [],
  ) {
    this.script = [...script];
    live.add(this);
  }

  /** More answers, for the next requests. */
  answer(...more: Answer[]) {
    this.script.push(...more);
    return this;
  }

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const signal = init?.signal ?? null;
    const seen: SeenRequest = {
      method: request.method,
      url: request.url,
      id: request.headers.get('webhook-id'),
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
      outcome: 'failed',
    };
    if (seen.url !== this.url) {
      this.unexpected.push(`unexpected URL: ${seen.method} ${seen.url}`);
      throw new Error(`fake provider: unexpected request to ${seen.url}`);
    }
    const answer = this.script.shift();
    if (answer === undefined) {
      this.unexpected.push(`request beyond the script: ${seen.method} ${seen.url} (${seen.id})`);
      throw new Error('fake provider: request beyond the script');
    }
    this.requests.push(seen);
    if (answer === 'network') throw new TypeError('Network connection lost.');
    if (answer === 'hang') {
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => {
          seen.outcome = 'aborted';
          reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
        });
      });
    }
    const reply = typeof answer === 'number' ? { status: answer } : answer;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    this.inFlight -= 1;
    seen.outcome = reply.status >= 200 && reply.status < 300 ? 'accepted' : 'refused';
    return new Response(reply.body ?? null, { status: reply.status, headers: reply.headers });
  }) as typeof fetch;

  /** Requests that carried `id`, whatever the answer. */
  sendsFor(id: string): number {
    return this.requests.filter((r) => r.id === id).length;
  }

  /** Requests for `id` that the provider accepted (2xx): the sends a buyer would see. */
  acceptedFor(id: string): number {
    return this.requests.filter((r) => r.id === id && r.outcome === 'accepted').length;
  }

  /** The most accepted sends of any one message id (a duplicate makes this 2 or more). */
  maxAcceptedPerId(): number {
    const counts = new Map<string | null, number>();
    for (const r of this.requests) if (r.outcome === 'accepted') counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  }

  /** Throws when a request was refused or a scripted answer was never asked for. */
  assertClean() {
    live.delete(this);
    if (this.unexpected.length > 0) throw new Error(this.unexpected.join('\n'));
    if (this.script.length > 0) throw new Error(`${this.script.length} scripted answers were never requested`);
  }
}

export const fakeProvider = (url: string, ...script: Answer[]) => new FakeProvider(url, script);

/** A fetch that must never be called: any request is recorded as unexpected. */
export const noNetwork = () => new FakeProvider('about:never');

/** For afterEach: every fake made since the last call must be clean. */
export function assertProvidersClean() {
  const fakes = [...live];
  live.clear();
  for (const fake of fakes) fake.assertClean();
}
