import { eq } from 'drizzle-orm';
import webpush from 'web-push';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { serverSettings } from '../db/schema.js';

/** The name of the VAPID key pair in `server_settings`. */
export const VAPID_SETTING = 'vapid';

/** A VAPID key pair as web-push makes it: base64url, the public key an uncompressed P-256 point. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const vapidSchema = z.object({
  // 65 bytes (uncompressed P-256 point) and 32 bytes, in base64url without padding
  publicKey: base64url.length(87),
  privateKey: base64url.length(43),
});

/**
 * The server's VAPID key pair: the stored one, or a new one stored now. Generated once per database and
 * kept, because every browser subscription is bound to the public key it was made with. Two processes
 * starting together on one PostgreSQL database agree: the first insert wins and both read it back.
 * @param db - the database
 * @throws Error when a stored value is not a key pair (a new one would silently break every subscription)
 */
export async function loadVapidKeys(db: Db): Promise<VapidKeys> {
  const stored = await readVapidKeys(db);
  if (stored) return stored;
  const generated = webpush.generateVAPIDKeys();
  await db
    .insert(serverSettings)
    .values({
      name: VAPID_SETTING,
      value: { publicKey: generated.publicKey, privateKey: generated.privateKey },
    })
    .onConflictDoNothing();
  const kept = await readVapidKeys(db);
  if (!kept) throw new Error('the VAPID key pair could not be stored');
  return kept;
}

async function readVapidKeys(db: Db): Promise<VapidKeys | null> {
  const rows = await db
    .select({ value: serverSettings.value })
    .from(serverSettings)
    .where(eq(serverSettings.name, VAPID_SETTING))
    .limit(1);
  if (!rows[0]) return null;
  const parsed = vapidSchema.safeParse(rows[0].value);
  if (!parsed.success) throw new Error(`server_settings.${VAPID_SETTING} is not a VAPID key pair`);
  return parsed.data;
}
