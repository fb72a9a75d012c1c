/** The shop's webhook secrets: decrypting the accepted ones and rotating them. */
import { decryptSecret, encryptSecret } from '../../../shared/crypto/secret-box';
import type { Shop } from '../../../shared/db/schema';
import { newWebhookSecret } from '../../../shared/webhooks/standard-webhooks';

/** The current secret, then the previous one while its grace period lasts. */
export async function shopWebhookSecrets(env: Cloudflare.GatewayEnv, shop: Shop, now = Date.now()): Promise<string[]> {
  const secrets = [await decryptSecret(env.ENCRYPTION_KEY, shop.webhookSecretEnc)];
  const expires = shop.previousWebhookSecretExpiresAt?.getTime() ?? 0;
  if (shop.previousWebhookSecretEnc && expires > now) {
    secrets.push(await decryptSecret(env.ENCRYPTION_KEY, shop.previousWebhookSecretEnc));
  }
  return secrets;
}

/** A new sealed secret, returned once in clear for the caller to show. */
export async function sealNewSecret(env: Cloudflare.GatewayEnv) {
  const secret = newWebhookSecret();
  return { secret, sealed: await encryptSecret(env.ENCRYPTION_KEY, secret) };
}
