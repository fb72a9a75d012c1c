import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test/helpers/gateway';

type Schema = { $ref?: string; oneOf?: Schema[]; properties?: Record<string, Schema>; enum?: string[] };
type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { type: string; scheme: string }> };
};

let doc: Doc;
beforeAll(async () => {
  const res = await call('/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  doc = await res.json();
});

const resolve = (schema: Schema): Schema =>
  schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]! : schema;

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 and lists every public path', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhooks/{shop_id}',
        '/v1/shops',
        '/v1/shop',
        '/v1/shop/webhook-secret/rotate',
        '/v1/api-keys',
        '/v1/api-keys/{key_id}',
        '/v1/orders/{order_id}',
      ]),
    );
    expect(Object.keys(doc.paths['/v1/shop']!).sort()).toEqual(['get', 'patch']);
  });

  it('declares the bearer security schemes and uses them per route', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'bearer' },
      operatorToken: { type: 'http', scheme: 'bearer' },
    });
    expect(doc.paths['/v1/shops']!.post!.security).toEqual([{ operatorToken: [] }]);
    for (const [path, method] of [
      ['/v1/shop', 'patch'],
      ['/v1/api-keys', 'post'],
      ['/v1/orders/{order_id}', 'get'],
    ] as const) {
      expect(doc.paths[path]![method]!.security).toEqual([{ apiKey: [] }]);
    }
    expect(doc.paths['/v1/webhooks/{shop_id}']!.post!.security ?? []).toEqual([]);
  });

  it('describes the webhook body as one schema per event type', () => {
    const body = doc.paths['/v1/webhooks/{shop_id}']!.post!.requestBody!.content['application/json']!.schema;
    const union = resolve(body);
    const types = union.oneOf!.map((option) => resolve(option).properties!.type!.enum);
    expect(types).toContainEqual(['order.created']);
    expect(types).toContainEqual(['order.paid']);
    expect(types).toContainEqual(['shipment.updated']);
    expect(new Set(types.flat()).size).toBe(types.length);
  });

  it('documents the shop settings fields in the PATCH body', () => {
    const patch = resolve(doc.paths['/v1/shop']!.patch!.requestBody!.content['application/json']!.schema);
    expect(Object.keys(patch.properties!)).toEqual(
      expect.arrayContaining([
        'timezone',
        'shipping_cutoff',
        'non_shipping_days',
        'reminder_lead_minutes',
        'reminder_min_order_age_minutes',
        'quiet_hours',
      ]),
    );
  });
});

describe('/docs and unknown routes', () => {
  it('serves an HTML page whose viewer, served by the worker, loads /openapi.json', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('/docs/assets/init.js');
    const init = await call('/docs/assets/init.js');
    expect(init.status).toBe(200);
    expect(await init.text()).toContain("url: '/openapi.json'");
    expect((await call('/docs/assets/scalar.js')).status).toBe(200);
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await call('/v1/nope');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toEqual({ code: 'not_found', message: expect.stringContaining('/v1/nope') });
  });
});
