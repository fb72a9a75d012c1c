/**
 * The demo shop: when the `shops` table is empty, creates one through the gateway's operator API
 * (`POST /v1/shops`, as a user would), prints its credentials and saves them to the demo-shop file,
 * which `npm run send-event` and the e2e tests read. Also reads that file back.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shown } from './paths.ts';

export type DemoShop = { shop_id: string; api_key: string; webhook_secret: string; created_at: string };

type ShopCounter = () => Promise<number>;

export async function ensureDemoShop(opts: {
  countShops: ShopCounter;
  baseUrl: string;
  operatorToken: string;
  file: string;
}): Promise<void> {
  let shops: number;
  try {
    shops = await opts.countShops();
  } catch (error) {
    console.warn(`Demo shop skipped: cannot read the shops table (${(error as Error).message}).`);
    return;
  }
  if (shops > 0) {
    console.log(
      existsSync(opts.file)
        ? `Demo shop credentials: ${shown(opts.file)}`
        : `${shops} shop(s) exist; no saved demo credentials (${shown(opts.file)} is missing).`,
    );
    return;
  }
  const response = await fetch(`${opts.baseUrl}/v1/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Demo Shop', timezone: 'Asia/Shanghai' }),
  });
  const text = await response.text();
  if (response.status !== 201) {
    console.warn(`Demo shop not created: POST /v1/shops answered ${response.status} ${text.slice(0, 300)}`);
    return;
  }
  const created = JSON.parse(text) as Omit<DemoShop, 'created_at'>;
  const shop: DemoShop = { ...created, created_at: new Date().toISOString() };
  mkdirSync(path.dirname(opts.file), { recursive: true });
  writeFileSync(opts.file, JSON.stringify(shop, null, 2) + '\n', { mode: 0o600 });
  console.log(
    [
      `Demo shop created (saved to ${shown(opts.file)}; the key and secret are not shown again by the API):`,
      `  shop_id:        ${shop.shop_id}`,
      `  api_key:        ${shop.api_key}`,
      `  webhook_secret: ${shop.webhook_secret}`,
    ].join('\n'),
  );
}

/** The saved demo shop, or undefined when there is none. */
export function readDemoShop(file: string): DemoShop | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoShop;
}
