import { and, eq, sql } from 'drizzle-orm';
import { CodedError } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { pushSubscriptions } from '../db/schema.js';

/** A browser's subscription as `PushSubscription.toJSON()` gives it (expiration left out: browsers renew). */
export interface SubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A stored subscription. */
export type StoredSubscription = typeof pushSubscriptions.$inferSelect;

/**
 * Stores a browser's subscription for a user, or updates its keys when the same browser subscribes again.
 * An endpoint is one browser's address at its push service: if it is stored for another account (the
 * browser was used by someone else before), it is refused and left alone; the browser then makes a new
 * subscription (a new endpoint), and the old one fails with 404/410 and is dropped at its next send.
 * @param db - the database
 * @param userId - the signed-in user
 * @param input - the subscription
 * @param userAgent - the browser's User-Agent (shown to nobody; for the operator)
 * @returns whether a row was created (false: updated)
 * @throws CodedError E_CONFLICT when the endpoint belongs to another account
 */
export async function saveSubscription(
  db: Db,
  userId: string,
  input: SubscriptionInput,
  userAgent: string | null,
): Promise<{ created: boolean }> {
  const values = {
    endpoint: input.endpoint,
    userId,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    userAgent: userAgent?.slice(0, 500) ?? null,
  };
  // one statement: insert, or update only when the row is this user's (`xmax = 0` tells an insert)
  const rows = await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: {
        p256dh: values.p256dh,
        auth: values.auth,
        userAgent: values.userAgent,
        failures: 0,
        lastFailureAt: null,
        lastError: null,
      },
      setWhere: eq(pushSubscriptions.userId, userId),
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  if (!rows[0]) {
    throw new CodedError('E_CONFLICT', 'This browser is set up for notifications of another account.', {
      reason: 'endpoint-of-another-account',
    });
  }
  return { created: rows[0].inserted };
}

/**
 * Removes one of the user's subscriptions by endpoint; another account's row with that endpoint stays.
 * @returns whether a row was removed
 */
export async function removeSubscription(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.endpoint, endpoint), eq(pushSubscriptions.userId, userId)))
    .returning({ endpoint: pushSubscriptions.endpoint });
  return rows.length > 0;
}

/** The user's subscriptions, oldest first. */
export async function subscriptionsOf(db: Db, userId: string): Promise<StoredSubscription[]> {
  return db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(pushSubscriptions.createdAt, pushSubscriptions.endpoint);
}

/** The users with at least one subscription. */
export async function subscribedUserIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: pushSubscriptions.userId })
    .from(pushSubscriptions)
    .orderBy(pushSubscriptions.userId);
  return rows.map((row) => row.userId);
}

/** Notes a delivered push: failures reset. */
export async function markSuccess(db: Db, subscription: StoredSubscription, at: Date): Promise<void> {
  await db
    .update(pushSubscriptions)
    .set({ lastSuccessAt: at, failures: 0, lastError: null })
    .where(
      and(
        eq(pushSubscriptions.endpoint, subscription.endpoint),
        eq(pushSubscriptions.userId, subscription.userId),
      ),
    );
}

/** Notes a failed push that may work later (server error, network). */
export async function markFailure(
  db: Db,
  subscription: StoredSubscription,
  at: Date,
  error: string,
): Promise<void> {
  await db
    .update(pushSubscriptions)
    .set({
      failures: sql`${pushSubscriptions.failures} + 1`,
      lastFailureAt: at,
      lastError: error.slice(0, 200),
    })
    .where(
      and(
        eq(pushSubscriptions.endpoint, subscription.endpoint),
        eq(pushSubscriptions.userId, subscription.userId),
      ),
    );
}

/** Deletes a subscription its push service says is gone (404, 410). */
export async function dropSubscription(db: Db, subscription: StoredSubscription): Promise<void> {
  await db
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.endpoint, subscription.endpoint),
        eq(pushSubscriptions.userId, subscription.userId),
      ),
    );
}
