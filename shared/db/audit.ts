/** Audit entries: who changed what. Returned as a query so callers batch it with the change. */
import { newId } from '../crypto/random';
import type { Db } from './client';
import { auditLog } from './schema';

export type AuditInput = {
  shopId: string;
  actorKeyId: string | null;
  action: string;
  entity: string;
  entityId: string;
  changes?: Record<string, unknown>;
};

export function auditInsert(db: Db, entry: AuditInput, now = new Date()) {
  return db.insert(auditLog).values({ id: newId('aud'), ...entry, createdAt: now });
}
