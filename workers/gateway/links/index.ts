/**
 * `GET /s/{code}`: the short links in SMS texts (shared/links/shorten.ts). A live link answers 302
 * to its destination and counts the click on its row, in one conditional UPDATE; an unknown code
 * answers 404 and an expired one 410, each with a plain page. The answer reveals the destination
 * and nothing else: no shop, order or message. A HEAD request (link previewers) is not a click.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gt, sql } from 'drizzle-orm';
import { db } from '../../../shared/db/client';
import { shortLinks } from '../../../shared/db/schema';
import { createRouter } from '../../../shared/http/app';
import { shortCodePattern } from '../../../shared/links/shorten';

export const linkRoutes = createRouter();

const plain = (description: string) => ({ description, content: { 'text/plain': { schema: z.string() } } });

const GONE = '链接已过期。This link has expired.';
const UNKNOWN = '链接无效。This link is not valid.';

linkRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/s/{code}',
    summary: 'Open a short link from a text message',
    description:
      'Redirects to the link’s destination and counts the click for the message that carried it. No authentication: the code is the capability.',
    request: {
      params: z.object({
        code: z.string().openapi({ description: '8 base62 characters', example: 'aZ3kP9qT' }),
      }),
    },
    responses: {
      302: { description: 'Redirect to the destination', headers: { Location: { schema: { type: 'string' } } } },
      404: plain('Unknown code'),
      410: plain('The link has expired'),
    },
  }),
  async (c) => {
    const code = c.req.valid('param').code;
    // No route to the database for something that cannot be a code.
    if (!shortCodePattern.test(code)) return c.text(UNKNOWN, 404, { 'cache-control': 'no-store' });
    const d = db(c.env.DB);
    const now = new Date();
    const live = and(eq(shortLinks.code, code), gt(shortLinks.expiresAt, now));
    const [hit] =
      c.req.method === 'HEAD'
        ? await d.select({ destination: shortLinks.destination }).from(shortLinks).where(live).limit(1)
        : await d
            .update(shortLinks)
            .set({
              clicks: sql`${shortLinks.clicks} + 1`,
              firstClickAt: sql`coalesce(${shortLinks.firstClickAt}, ${now.getTime()})`,
              lastClickAt: now,
            })
            .where(live)
            .returning({ destination: shortLinks.destination });
    // Every open must reach us to be counted: nothing may cache the redirect.
    const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
    if (hit) return c.body(null, 302, { ...headers, location: hit.destination });
    const known = await d
      .select({ one: sql`1` })
      .from(shortLinks)
      .where(eq(shortLinks.code, code))
      .limit(1);
    return c.text(known.length ? GONE : UNKNOWN, known.length ? 410 : 404, headers);
  },
);
