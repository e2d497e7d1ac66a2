import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fromBase64Url, keyFingerprint, toBase64Url, type VerifySignature } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { serverSettings } from '../db/schema.js';

/** The name of the report-signing key pair in `server_settings`. */
export const SIGNING_KEY_SETTING = 'report-signing-key';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo: the 32 raw key bytes follow it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const storedSchema = z.object({
  algorithm: z.literal('Ed25519'),
  /** PKCS#8 DER, base64url. */
  privateKey: z.string().regex(/^[A-Za-z0-9_-]+$/),
  /** The 32 raw bytes, base64url. */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** The server's report-signing key: the private key stays in the process and the database. */
export interface SigningKey {
  /** The 32 raw bytes of the public key. */
  publicKey: Uint8Array;
  /** SHA-256 (hex) of the public key's raw bytes. */
  fingerprint: string;
  sign: (message: Uint8Array) => Uint8Array;
}

/** An Ed25519 public key object from its 32 raw bytes. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key has 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The 32 raw bytes of an Ed25519 public key object. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** Ed25519 verification with node:crypto, for core's {@link verifyManifest}. */
export const verifyEd25519: VerifySignature = (message, signature, publicKey) =>
  verify(null, message, publicKeyFromRaw(publicKey), signature);

function toSigningKey(stored: z.infer<typeof storedSchema>): SigningKey {
  const privateKey = createPrivateKey({
    key: Buffer.from(fromBase64Url(stored.privateKey)),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = fromBase64Url(stored.publicKey);
  if (toBase64Url(rawPublicKey(createPublicKey(privateKey))) !== stored.publicKey)
    throw new Error(
      `server_settings.${SIGNING_KEY_SETTING}: the public key does not belong to the private key`,
    );
  return {
    publicKey,
    fingerprint: keyFingerprint(publicKey),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

async function readSigningKey(db: Db): Promise<SigningKey | null> {
  const rows = await db
    .select({ value: serverSettings.value })
    .from(serverSettings)
    .where(eq(serverSettings.name, SIGNING_KEY_SETTING))
    .limit(1);
  if (!rows[0]) return null;
  const parsed = storedSchema.safeParse(rows[0].value);
  if (!parsed.success) throw new Error(`server_settings.${SIGNING_KEY_SETTING} is not an Ed25519 key pair`);
  return toSigningKey(parsed.data);
}

/**
 * The server's Ed25519 report-signing key: the stored one, or one made and stored now (the first time a
 * server needs it). Kept for good, because every report ever issued is checked against its public key.
 * Two processes starting together agree: the first insert wins and both read it back.
 * @throws Error when the stored value is not a key pair (a new key would make every issued report unverifiable)
 */
export async function loadSigningKey(db: Db): Promise<SigningKey> {
  const stored = await readSigningKey(db);
  if (stored) return stored;
  const pair = generateKeyPairSync('ed25519');
  await db
    .insert(serverSettings)
    .values({
      name: SIGNING_KEY_SETTING,
      value: {
        algorithm: 'Ed25519',
        privateKey: toBase64Url(new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' }))),
        publicKey: toBase64Url(rawPublicKey(pair.publicKey)),
      },
    })
    .onConflictDoNothing();
  const kept = await readSigningKey(db);
  if (!kept) throw new Error('the report-signing key could not be stored');
  return kept;
}

/** A cache of the signing key per database, so that it is read once per process. */
const cache = new WeakMap<Db, Promise<SigningKey>>();

/** {@link loadSigningKey}, once per database and process (a failed load is tried again next time). */
export function signingKeyFor(db: Db): Promise<SigningKey> {
  let promise = cache.get(db);
  if (!promise) {
    promise = loadSigningKey(db).catch((error: unknown) => {
      cache.delete(db);
      throw error;
    });
    cache.set(db, promise);
  }
  return promise;
}
