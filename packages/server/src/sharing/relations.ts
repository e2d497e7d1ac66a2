import { and, eq, gt, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { SharedWith } from '../authz.js';
import type { Db } from '../db/database.js';
import { shares, type ShareScope } from '../db/schema.js';

/** The active-shares lookup of every request of an approved clinician, prepared once per database. */
function prepareSharedWith(db: Db) {
  return db
    .select({ patientId: shares.patientId, scopes: shares.scopes })
    .from(shares)
    .where(
      and(
        eq(shares.clinicianId, sql.placeholder('clinicianId')),
        isNotNull(shares.acceptedAt),
        isNull(shares.revokedAt),
        or(isNull(shares.expiresAt), gt(shares.expiresAt, sql.placeholder('now'))),
      ),
    )
    .prepare('dystrack_shared_with');
}

const lookups = new WeakMap<Db, ReturnType<typeof prepareSharedWith>>();

/**
 * The patients who share data with a clinician now, and what each shares (the union of their active
 * shares): read on every request, so that a revoked or expired share grants nothing from then on.
 */
export async function loadSharedWith(db: Db, clinicianId: string, now = new Date()): Promise<SharedWith> {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareSharedWith(db)));
  const rows = await lookup.execute({ clinicianId, now: now.toISOString() });
  const shared = new Map<string, Set<ShareScope>>();
  for (const row of rows) {
    const scopes = shared.get(row.patientId) ?? new Set<ShareScope>();
    for (const scope of row.scopes) scopes.add(scope as ShareScope);
    shared.set(row.patientId, scopes);
  }
  return shared;
}
