/** GET/PUT /v1/delivery/settings: validated by deliverySettingsSchema, stored on the shop, audited. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createShop } from '../../../test/helpers/gateway';
import { auditRows, issueKey, type ErrorBody } from '../../../test/helpers/templates';

const settings = (key: string) => call('/v1/delivery/settings', { key });
const put = (key: string, json: unknown) => call('/v1/delivery/settings', { method: 'PUT', key, json });

describe('/v1/delivery/settings', () => {
  it('shows the defaults until set, then the stored settings', async () => {
    const shop = await createShop('Settings');
    expect(await (await settings(shop.api_key)).json()).toMatchObject({
      default_route: ['sms', 'email'],
      frequency_cap: { max: 3, window_hours: 24 },
      max_attempts: 6,
    });
    const res = await put(shop.api_key, {
      routes: { review_request: ['email'] },
      providers: { sms: ['aliyun_sms', 'twilio'] },
      frequency_cap: { max: 1, window_hours: 48 },
    });
    expect(res.status).toBe(200);
    const stored = await (await settings(shop.api_key)).json();
    expect(stored).toMatchObject({
      routes: { review_request: ['email'] },
      providers: { sms: ['aliyun_sms', 'twilio'] },
      frequency_cap: { max: 1, window_hours: 48 },
      default_route: ['sms', 'email'],
    });
    const row = await env.DB.prepare('SELECT delivery FROM shops WHERE id = ?')
      .bind(shop.shop_id)
      .first<{ delivery: string }>();
    expect(JSON.parse(row!.delivery)).toEqual(stored);
    const audit = await auditRows(shop.shop_id, 'delivery.settings.update');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.changes).toMatchObject({ delivery: { from: null, to: stored } });
  });

  it('rejects invalid settings with 400 and paths, changing nothing', async () => {
    const shop = await createShop('Invalid settings');
    const cases: [unknown, string][] = [
      [{ frequency_cap: { max: -1, window_hours: 24 } }, 'frequency_cap.max'],
      [{ routes: { shipped: ['fax'] } }, 'routes.shipped.0'],
      [{ providers: { sms: ['resend'] } }, 'providers.sms.0'],
      [{ colour: 'blue' }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await put(shop.api_key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe('validation_failed');
      if (path) expect(error.details!.map((d) => d.path)).toContain(path);
    }
    const row = await env.DB.prepare('SELECT delivery FROM shops WHERE id = ?')
      .bind(shop.shop_id)
      .first<{ delivery: string | null }>();
    expect(row!.delivery).toBeNull();
  });

  it('lets a read key read but not change them', async () => {
    const shop = await createShop('Read only');
    const reader = await issueKey(shop, ['read']);
    expect((await settings(reader.key)).status).toBe(200);
    expect((await put(reader.key, {})).status).toBe(403);
    expect((await settings('obk_nope')).status).toBe(401);
  });
});
