/**
 * Outbound HTTP shared by the HTTP adapters: one call that turns network
 * failures into transient ProviderErrors and keeps the (truncated) raw answer
 * for the outbox, plus the reading of `{errcode, errmsg}` answers that the
 * WeCom and DingTalk robots send with HTTP 200 even when they refuse.
 */
import { ProviderError, httpError, type Provider, type SendContext } from '../types';

/** Upstream bodies are kept for diagnosis only; a shop's endpoint could answer megabytes. */
const RAW_LIMIT = 2000;

export type Answer = { response: Response; raw: string };

/** Calls `url` through the injected fetch; a thrown fetch (DNS, reset, timeout) is transient with code `network`. */
export async function call(provider: Provider, ctx: SendContext, url: string, init: RequestInit): Promise<Answer> {
  let response: Response;
  let raw: string;
  try {
    response = await ctx.fetch(url, init);
    raw = (await response.text()).slice(0, RAW_LIMIT);
  } catch (err) {
    // No answer: the provider may or may not have acted on the request.
    throw new ProviderError('transient', `${provider} could not be reached: ${errorText(err)}`, { code: 'network' });
  }
  return { response, raw };
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Per-provider meaning of robot `errcode`s that are worth retrying, with the wait each implies. */
export type RobotRetryCodes = ReadonlyMap<number, number | undefined>;

/**
 * Accepts a robot answer with `errcode` 0 and throws otherwise: codes in
 * `retryable` are transient (with their retry-after), every other code is
 * permanent. A 200 without an errcode leaves the outcome unknown, so it is
 * transient and the dispatcher's retry limit bounds it.
 */
export function checkRobotAnswer(provider: Provider, { response, raw }: Answer, retryable: RobotRetryCodes): void {
  if (!response.ok) throw httpError(provider, response, raw);
  const body = parseJson(raw) as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (typeof body?.errcode !== 'number') {
    throw new ProviderError('transient', `${provider} answered without an errcode`, { status: response.status, raw });
  }
  if (body.errcode === 0) return;
  const transient = retryable.has(body.errcode);
  throw new ProviderError(
    transient ? 'transient' : 'permanent',
    `${provider} errcode ${body.errcode}: ${String(body.errmsg ?? '')}`,
    {
      status: response.status,
      code: String(body.errcode),
      retryAfterMs: transient ? retryable.get(body.errcode) : undefined,
      raw,
    },
  );
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** UTF-8 byte length, the unit the Chinese robot APIs state their limits in. */
export const byteLength = (text: string) => new TextEncoder().encode(text).length;
