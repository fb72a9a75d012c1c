/**
 * An uploaded NDJSON file of contract events, validated like the intake (well-formed Unicode, then
 * the contract schema): one event body a line, blank lines ignored, at most 50,000 events. Every
 * bad line is reported with its number (the first 100), and a file with any bad line is refused whole.
 */
import { webhookEventSchema } from '../../../shared/events/webhook';
import { illFormedPath } from '../../../shared/events/well-formed';
import { ApiError, zodDetails, type ErrorDetail } from '../../../shared/http/errors';
import type { SimEvent } from '../../../shared/simulation/input';
import { MAX_EVENTS } from './schemas';

const MAX_DETAILS = 100;

export function parseEventsNdjson(text: string): SimEvent[] {
  const events: SimEvent[] = [];
  const details: ErrorDetail[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    if (events.length + details.length >= MAX_EVENTS) {
      throw new ApiError('validation_failed', `events: more than ${MAX_EVENTS} events`, [
        { path: 'events', message: `at most ${MAX_EVENTS} events (line ${line} is one too many)`, line },
      ]);
    }
    const bad = (path: string, message: string) =>
      details.length < MAX_DETAILS &&
      details.push({ path: path ? `events:${line}.${path}` : `events:${line}`, message, line });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      bad('', 'not valid JSON');
      continue;
    }
    const illFormed = illFormedPath(body);
    if (illFormed !== undefined) {
      bad(illFormed, 'not well-formed Unicode (lone surrogate)');
      continue;
    }
    const parsed = webhookEventSchema.safeParse(body);
    if (!parsed.success) {
      for (const d of zodDetails(parsed.error)) bad(d.path, d.message);
      continue;
    }
    events.push({ webhookId: `upload:${line}`, source: 'native', body: parsed.data });
  }
  if (details.length) {
    throw new ApiError('validation_failed', `events: line ${details[0]!.line}: ${details[0]!.message}`, details);
  }
  if (events.length === 0)
    throw new ApiError('validation_failed', 'events: no event', [
      { path: 'events', message: 'the file holds no event' },
    ]);
  return events;
}
