/**
 * `POST /v1/integrations/kuaidi100/{shop_id}`: Kuaidi100 subscription pushes, a form POST of
 * `param` (JSON) and `sign`, the upper-case hex MD5 of `param` + the shop's salt. The parcel is
 * found by `lastResult.nu`; a push repeated byte for byte is a duplicate. Kuaidi100 reads only
 * the answer's body: `result: true` acknowledges (also a repeat), `result: false` refuses, and a
 * refusal stores nothing.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sha256Hex } from '../../../shared/crypto/digest';
import { toHex, utf8 } from '../../../shared/crypto/encoding';
import { createRouter, type AppEnv } from '../../../shared/http/app';
import { limitBody } from '../../../shared/http/body-limit';
import { ApiError, errorStatus } from '../../../shared/http/errors';
import { jsonBody } from '../../../shared/http/openapi';
import { acceptEvent, recordIgnored, type Delivery } from '../webhooks/accept';
import { parcelByNumber } from './parcels';
import { connectedShop, MAX_PLATFORM_BODY_BYTES } from './receive';
import { kuaidi100Number, mapKuaidi100 } from './tracking-map';

const answer = z
  .object({ result: z.boolean(), returnCode: z.string(), message: z.string() })
  .openapi('Kuaidi100Answer');
export const ACCEPTED = { result: true, returnCode: '200', message: '成功' } as const;

const route = createRoute({
  method: 'post',
  path: '/v1/integrations/kuaidi100/{shop_id}',
  summary: 'Receive a Kuaidi100 subscription push',
  description:
    "Form fields `param` (the push JSON) and `sign` = upper-case hex MD5 of `param` + salt. `lastResult.state` (and the newest entry's advanced `statusCode`) map by the one status table (docs/INTEGRATIONS.md); the newest `data` entry gives the detail, time and area.",
  request: {
    params: z.object({ shop_id: z.string() }),
    body: {
      content: { 'application/x-www-form-urlencoded': { schema: z.object({ param: z.string(), sign: z.string() }) } },
      required: true,
    },
  },
  responses: {
    200: jsonBody(answer, 'Accepted or a repeat: `{"result":true,"returnCode":"200","message":"成功"}`'),
    400: jsonBody(answer, 'Refused: `param` is not a push'),
    401: jsonBody(answer, 'Refused: `sign` does not match'),
    404: jsonBody(answer, 'Refused: unknown shop, or Kuaidi100 not connected'),
  },
});

export const kuaidi100Routes = createRouter();
kuaidi100Routes.openAPIRegistry.registerPath(route);

/** Upper-case hex MD5 (workerd's WebCrypto offers MD5 for such legacy signatures). */
async function md5Upper(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('MD5', utf8(text))).toUpperCase();
}

async function receive(c: Context<AppEnv>) {
  const { shop, credentials } = await connectedShop(c, 'kuaidi100');
  const form = new URLSearchParams(await c.req.text());
  const param = form.get('param') ?? '';
  const sign = (form.get('sign') ?? '').trim();
  if (!param || !sign) throw new ApiError('signature_missing', 'param and sign are required');
  const expected = utf8(await md5Upper(param + credentials.salt));
  const given = utf8(sign);
  if (given.length !== expected.length || !crypto.subtle.timingSafeEqual(given, expected)) {
    throw new ApiError('signature_invalid', 'sign does not match MD5(param + salt)');
  }
  let push: Record<string, unknown>;
  try {
    push = JSON.parse(param);
  } catch {
    throw new ApiError('validation_failed', 'param is not JSON', [{ path: 'param', message: 'not JSON' }]);
  }
  const number = kuaidi100Number(push)?.slice(0, 64);
  if (!number)
    throw new ApiError('validation_failed', 'lastResult.nu is missing', [
      { path: 'param.lastResult.nu', message: 'required' },
    ]);
  // Kuaidi100 pushes the whole history each time and gives no delivery id: the same push is the same delivery.
  const delivery: Delivery = { source: 'kuaidi100', webhookId: `kuaidi100:${number}:${await sha256Hex(param)}` };
  const parcel = await parcelByNumber(c.env, shop.id, number);
  if (!parcel) {
    await recordIgnored(c.env, shop, delivery, { type: 'kuaidi100:push', reason: 'unknown_parcel' });
    return;
  }
  const mapped = mapKuaidi100(push, parcel);
  if ('ignored' in mapped) await recordIgnored(c.env, shop, delivery, mapped.ignored);
  else await acceptEvent(c, shop, delivery, mapped.event);
}

kuaidi100Routes.post('/v1/integrations/kuaidi100/:shop_id', limitBody(MAX_PLATFORM_BODY_BYTES), async (c) => {
  try {
    await receive(c);
    return c.json(ACCEPTED, 200);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const status = errorStatus[error.code] as 400 | 401 | 404 | 413 | 415;
    return c.json({ result: false, returnCode: String(status), message: error.message }, status);
  }
});
