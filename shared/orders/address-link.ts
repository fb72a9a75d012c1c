/**
 * The buyer's one-tap address link, `${PUBLIC_URL}/a/<token>`: minted by the
 * thank-you flow, opened on the gateway's address page. The token is a signed
 * capability for one order (shared/crypto/signed-token.ts), valid 14 days;
 * the page also refuses it once the order has shipped.
 */
import { signToken, verifyToken } from '../crypto/signed-token';
import type { OrderState } from '../db/schema';

const PURPOSE = 'address-link';
export const ADDRESS_LINK_TTL_MS = 14 * 24 * 3_600_000;

export async function addressLinkToken(
  secret: string | undefined,
  link: { shopId: string; orderId: string },
  now = new Date(),
): Promise<string> {
  return signToken(secret, PURPOSE, [link.shopId, link.orderId], new Date(now.getTime() + ADDRESS_LINK_TTL_MS));
}

export function addressLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/a/${token}`;
}

export type AddressLink =
  | { ok: true; shopId: string; orderId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export async function readAddressLink(
  secret: string | undefined,
  token: string,
  now = new Date(),
): Promise<AddressLink> {
  const checked = await verifyToken(secret, PURPOSE, token, now);
  if (!checked.ok) return checked;
  const [shopId, orderId] = checked.fields;
  if (!shopId || !orderId || checked.fields.length !== 2) return { ok: false, reason: 'malformed' };
  return { ok: true, shopId, orderId, expiresAt: checked.expiresAt };
}

/** Whether the address can still change: not once the parcel has left, nor on a closed order. */
export function addressStillOpen(state: OrderState): 'open' | 'shipped' | 'closed' {
  if (state === 'created' || state === 'paid') return 'open';
  if (state === 'shipped' || state === 'completed') return 'shipped';
  return 'closed';
}
