/** Every message, delivery and inbound route is in /openapi.json; admin routes declare the API key. */
import { expect, it } from 'vitest';
import { call } from '../../../test/helpers/gateway';

type Doc = { paths: Record<string, Record<string, { security?: unknown[] }>> };

it('documents the message, delivery and inbound routes', async () => {
  const doc = (await (await call('/openapi.json')).json()) as Doc;
  const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
  expect(methods('/v1/messages')).toEqual(['get']);
  expect(methods('/v1/messages/{message_id}')).toEqual(['get']);
  expect(methods('/v1/messages/{message_id}/retry')).toEqual(['post']);
  expect(methods('/v1/delivery/settings')).toEqual(['get', 'put']);
  expect(methods('/v1/delivery/providers')).toEqual(['get']);
  expect(methods('/v1/delivery/providers/{provider}')).toEqual(['delete', 'put']);
  expect(methods('/v1/blacklist')).toEqual(['get', 'post']);
  expect(methods('/v1/blacklist/{type}/{value}')).toEqual(['delete']);
  for (const path of ['/v1/receipts/{shop_id}/twilio', '/v1/receipts/{shop_id}', '/v1/inbound/{shop_id}/twilio']) {
    expect(methods(path)).toEqual(['post']);
  }
  expect(methods('/v1/receipts/{shop_id}/aliyun')).toEqual(['post']);
  expect(methods('/v1/inbound/{shop_id}/aliyun')).toEqual(['post']);
  expect(methods('/v1/unsubscribe/{shop_id}/{message_id}')).toEqual(['get', 'post']);
  expect(methods('/v1/resubscribe/{shop_id}/{message_id}')).toEqual(['post']);
  expect(methods('/v1/customers/{buyer_id}/opt-outs/{channel}')).toEqual(['delete']);
  expect(methods('/v1/audit')).toEqual(['get']);
  expect(doc.paths['/v1/audit']!.get!.security).toEqual([{ apiKey: [] }]);
  expect(doc.paths['/v1/customers/{buyer_id}/opt-outs/{channel}']!.delete!.security).toEqual([{ apiKey: [] }]);
  expect(doc.paths['/v1/messages/{message_id}/retry']!.post!.security).toEqual([{ apiKey: [] }]);
  expect(doc.paths['/v1/receipts/{shop_id}/aliyun']!.post!.security).toBeUndefined();
});
