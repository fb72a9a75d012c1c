/**
 * `GET` / `POST /a/{token}`: the buyer's address-confirmation page, opened
 * from the thank-you message. The signed token is the capability (and the
 * tenant): no login, no cookie, so there is no session to forge a request
 * against. The link stops working when it expires or the order ships; a bad,
 * tampered or expired link gets a plain page with a 4xx, never an error trace.
 * These are buyer-facing HTML pages, not API routes, so they are not in the
 * OpenAPI document.
 */
import type { Context } from 'hono';
import { limitBody } from '../../../shared/http/body-limit';
import { db as drizzleDb } from '../../../shared/db/client';
import type { DispatchJob } from '../../../shared/delivery/plan';
import { type AppEnv, createRouter } from '../../../shared/http/app';
import { addressStillOpen, readAddressLink } from '../../../shared/orders/address-link';
import { maskAddress } from '../../../shared/text/mask';
import { copy, pageLocale } from './copy';
import { formPage, messagePage } from './page';
import { loadContext, recordConfirmation, recordCorrection, type AddressContext } from './record';

type C = Context<AppEnv>;
const MAX_CORRECTION = 500;

export const addressRoutes = createRouter();

function page(c: C, body: ReturnType<typeof messagePage>, status: 200 | 400 | 404 | 410 | 413 | 500) {
  // Security and cache headers come from the one HTML page policy (shared/http/page-headers.ts).
  return c.html(body, status);
}

/** `?lang=`, else the buyer's locale, else the browser's. */
function localeOf(c: C, buyer?: string | null) {
  return pageLocale({ lang: c.req.query('lang'), buyer, acceptLanguage: c.req.header('accept-language') });
}

/** Verifies the link and loads the order; on failure, the page to answer with instead. */
async function open(c: C): Promise<{ ctx: AddressContext } | { response: Response | Promise<Response> }> {
  const link = await readAddressLink(c.env.ENCRYPTION_KEY, c.req.param('token') ?? '');
  const ctx = link.ok ? await loadContext(drizzleDb(c.env.DB), link.shopId, link.orderId) : null;
  const locale = localeOf(c, ctx?.customer?.locale);
  const t = copy[locale];
  const say = (title: string, text: string, status: 404 | 410) =>
    ({ response: page(c, messagePage(locale, title, text, { shopName: ctx?.shop.name }), status) }) as const;
  if (!link.ok && link.reason === 'expired') return say(t.expiredTitle, t.expiredBody, 410);
  if (!ctx) return say(t.invalidTitle, t.invalidBody, 404);
  const state = addressStillOpen(ctx.order.state);
  if (state === 'shipped') return say(t.shippedTitle, t.shippedBody, 410);
  if (state === 'closed') return say(t.closedTitle, t.closedBody, 410);
  return { ctx };
}

/** The page for the order as it stands: the recorded correction, or the question. */
function show(c: C, ctx: AddressContext, extra: { error?: string; correction?: string } = {}, status: 200 | 400 = 200) {
  const locale = localeOf(c, ctx.customer?.locale);
  const t = copy[locale];
  const shopName = ctx.shop.name;
  const correction = ctx.responses.find((r) => r.action === 'correction_requested');
  if (correction) {
    const quote = { label: t.yourCorrection, text: correction.correction ?? '' };
    return page(c, messagePage(locale, t.correctedTitle, t.correctedBody, { shopName, quote }), 200);
  }
  const confirmed = ctx.responses.some((r) => r.action === 'confirmed');
  const address = maskAddress(ctx.order.shippingAddress, locale);
  return page(c, formPage({ locale, t, shopName, orderId: ctx.order.id, address, confirmed, ...extra }), status);
}

/** Renders a plain error page for anything unexpected: the buyer never sees a trace. */
async function guarded(c: C, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    const entry = { level: 'error', msg: 'address page failed', requestId: c.get('requestId'), error: String(error) };
    console.error(JSON.stringify(entry));
    const locale = localeOf(c);
    return page(c, messagePage(locale, copy[locale].errorTitle, copy[locale].errorBody), 500);
  }
}

addressRoutes.get('/a/:token', (c) =>
  guarded(c, async () => {
    const opened = await open(c);
    return 'response' in opened ? opened.response : show(c, opened.ctx);
  }),
);

const limit = limitBody(16 * 1024, (c) => {
  const t = copy[localeOf(c)];
  return page(c, messagePage(localeOf(c), t.errorTitle, t.correctionTooLong), 413);
});

addressRoutes.post('/a/:token', limit, (c) =>
  guarded(c, async () => {
    const opened = await open(c);
    if ('response' in opened) return opened.response;
    const { ctx } = opened;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const db = drizzleDb(c.env.DB);
    if (form.action === 'confirm' && ctx.order.shippingAddress) {
      // After a correction, "looks right" would contradict it: the page shows the correction instead.
      if (!ctx.responses.some((r) => r.action === 'correction_requested')) await recordConfirmation(db, ctx);
    } else if (form.action === 'correct') {
      const text = typeof form.correction === 'string' ? form.correction.trim() : '';
      if (!text || [...text].length > MAX_CORRECTION) {
        const t = copy[localeOf(c, ctx.customer?.locale)];
        const error = text ? t.correctionTooLong : t.correctionMissing;
        return show(c, ctx, { error, correction: text.slice(0, MAX_CORRECTION * 2) }, 400);
      }
      await recordCorrection(db, c.env.DISPATCH as Queue<DispatchJob>, ctx, text, c.env.PUBLIC_URL);
    } else {
      return show(c, ctx, {}, 400);
    }
    // Post/redirect/get: a reload shows the recorded answer instead of posting again. The Location is
    // relative to this very link (its last path segment plus the query), so it never follows the Host header.
    const url = new URL(c.req.url);
    return c.redirect(`${url.pathname.split('/').pop()}${url.search}`, 303);
  }),
);
