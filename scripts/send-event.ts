/**
 * `npm run send-event -- --file examples/events/order-created.json [--order ID] [--id msg_...]
 *                        [--shop ID --secret whsec_... --url http://127.0.0.1:8787]`
 *
 * Signs a webhook body with the Standard Webhooks library, with a fresh `webhook-id` (or --id, to
 * re-send the same delivery) and the current timestamp, POSTs it to /v1/webhooks/{shop_id}, and
 * prints the status and body (exit code 1 for a 4xx/5xx answer).
 *
 * Placeholders, in any string of the file:
 *   {{now}}       the current time, ISO 8601
 *   {{order_id}}  --order, or a new random id (printed; pass it as --order to the same order's later events)
 *
 * Defaults: --shop and --secret come from the demo shop `npm start` saved (.orderbell/demo-shop.json,
 * or beside $ORDERBELL_STATE_DIR), --url is http://127.0.0.1:$PORT (8787).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { readDemoShop } from './lib/demo-shop.ts';
import { baseUrl, demoShopFile, shown } from './lib/paths.ts';

function fail(message: string): never {
  console.error(`send-event: ${message}`);
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        file: { type: 'string', short: 'f' },
        order: { type: 'string' },
        id: { type: 'string' },
        shop: { type: 'string' },
        secret: { type: 'string' },
        url: { type: 'string' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (!args.file) fail('missing --file, e.g. npm run send-event -- --file examples/events/order-created.json');

let text: string;
try {
  text = readFileSync(args.file, 'utf8');
} catch (error) {
  fail(`cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}

const now = new Date().toISOString();
const orderId = args.order ?? `ord_${randomBytes(6).toString('hex')}`;
let body: unknown;
try {
  body = JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'string' ? value.replaceAll('{{now}}', now).replaceAll('{{order_id}}', orderId) : value,
  );
} catch (error) {
  fail(`${args.file} is not valid JSON: ${(error as Error).message}`);
}

const demo = args.shop && args.secret ? undefined : readDemoShop(demoShopFile);
const shopId = args.shop ?? demo?.shop_id;
const secret = args.secret ?? demo?.webhook_secret;
if (!shopId || !secret) {
  fail(
    `no shop credentials: pass --shop and --secret, or run npm start, which saves a demo shop to ${shown(demoShopFile)}`,
  );
}

const payload = JSON.stringify(body);
const msgId = args.id ?? `msg_${randomBytes(12).toString('hex')}`;
const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
let signature: string;
try {
  signature = new Webhook(secret).sign(msgId, timestamp, payload);
} catch (error) {
  fail(`cannot sign with that secret (expected whsec_<base64>): ${(error as Error).message}`);
}

const url = `${(args.url ?? baseUrl).replace(/\/+$/, '')}/v1/webhooks/${encodeURIComponent(shopId)}`;
if (text.includes('{{order_id}}')) console.log(`order_id:   ${orderId}`);
console.log(`webhook-id: ${msgId}\nPOST ${url}`);
let response: Response;
try {
  response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(timestamp.getTime() / 1000),
      'webhook-signature': signature,
    },
    body: payload,
  });
} catch (error) {
  fail(
    `cannot reach ${url} (is npm start running?): ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`,
  );
}
const answer = await response.text();
let shownAnswer = answer;
try {
  shownAnswer = JSON.stringify(JSON.parse(answer), null, 2);
} catch {
  // not JSON: print as is
}
console.log(`${response.status} ${response.statusText}\n${shownAnswer}`);
if (response.status >= 400) process.exitCode = 1;
