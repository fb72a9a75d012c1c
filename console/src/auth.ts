/** Who is signed in: the shop and the key's scopes, from `GET /v1/key`. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Schemas } from './api/client';

export type Identity = Schemas['CurrentKey'];
export type Scope = Identity['key']['scopes'][number];

export const IdentityContext = createContext<Identity | null>(null);

export function useIdentity(): Identity {
  return useContext(IdentityContext)!;
}

/** Mirrors the API's rule: `admin` may do everything, other scopes only themselves. */
export function can(identity: Identity, scope: Scope): boolean {
  return identity.key.scopes.includes('admin') || identity.key.scopes.includes(scope);
}
