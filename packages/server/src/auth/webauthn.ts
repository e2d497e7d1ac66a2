import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { CodedError } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { passkeys, webauthnChallenges } from '../db/schema.js';

/** How long a WebAuthn challenge may be answered (also the ceremony timeout given to the browser). */
export const CHALLENGE_MINUTES = 5;

/** The relying party name browsers show next to a passkey. */
export const RP_NAME = 'Dystrack';

/** The relying party of a ceremony: the domain passkeys are bound to and the page origin expected. */
export interface RelyingParty {
  /** Domain without scheme and port, e.g. `dystrack.example.org` or `localhost`. */
  id: string;
  /** Scheme, host and port as the browser reports it, e.g. `https://dystrack.example.org`. */
  origin: string;
}

/**
 * The relying party from the configured public URL, or else from the request (its scheme and Host
 * header; behind a proxy with `trustProxy`, X-Forwarded-Proto/Host). Production sites should set the
 * public URL so that passkeys stay bound to one name.
 * @param publicUrl - the configured public URL, if any
 * @param request - scheme and host (with port) of the request
 */
export function relyingParty(
  publicUrl: string | undefined,
  request: { protocol: string; host: string },
): RelyingParty {
  const url = new URL(publicUrl ?? `${request.protocol}://${request.host}`);
  return { id: url.hostname, origin: url.origin };
}

/** The WebAuthn user handle of an account: the UTF-8 bytes of its id (no personal data in it). */
export function webauthnUserId(userId: string): Uint8Array<ArrayBuffer> {
  return isoUint8Array.fromUTF8String(userId) as Uint8Array<ArrayBuffer>;
}

/** A passkey as its owner sees it. */
export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const SUMMARY = {
  id: passkeys.id,
  name: passkeys.name,
  createdAt: passkeys.createdAt,
  lastUsedAt: passkeys.lastUsedAt,
};

/**
 * The passkeys of a user, oldest first.
 * @param db - the database
 * @param userId - whose passkeys
 */
export async function listPasskeys(db: Db, userId: string): Promise<PasskeySummary[]> {
  return db
    .select(SUMMARY)
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

/**
 * Removes a passkey of a user.
 * @param db - the database
 * @param userId - the owner
 * @param id - the credential id
 * @returns whether the user had such a passkey
 */
export async function deletePasskey(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  return rows.length > 0;
}

async function storeChallenge(
  db: Db,
  kind: 'register' | 'authenticate',
  userId: string | null,
  challenge: string,
) {
  const id = randomUUID();
  // expired challenges are useless; clearing them here keeps the table as small as five minutes of traffic
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date()));
  await db.insert(webauthnChallenges).values({
    id,
    userId,
    kind,
    challenge,
    expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60_000),
  });
  return id;
}

/**
 * Takes a challenge out of the store: each challenge is answered at most once, whatever the outcome.
 * @returns the challenge, or null when it is unknown, of another kind or user, used or expired
 */
async function takeChallenge(
  db: Db,
  id: string,
  kind: 'register' | 'authenticate',
  userId: string | null,
): Promise<string | null> {
  const rows = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.id, id),
        eq(webauthnChallenges.kind, kind),
        userId === null ? isNull(webauthnChallenges.userId) : eq(webauthnChallenges.userId, userId),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge, expiresAt: webauthnChallenges.expiresAt });
  const row = rows[0];
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return row.challenge;
}

/**
 * Starts adding a passkey to a signed-in account: options for `navigator.credentials.create`
 * (discoverable credential required, user verification preferred, no attestation) and the id of the
 * stored challenge.
 * @param db - the database
 * @param rp - the relying party
 * @param user - the account
 */
export async function startRegistration(
  db: Db,
  rp: RelyingParty,
  user: { id: string; username: string; displayName: string },
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: user.username,
    userDisplayName: user.displayName,
    userID: webauthnUserId(user.id),
    timeout: CHALLENGE_MINUTES * 60_000,
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: row.transports })),
    authenticatorSelection: {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'preferred',
    },
  });
  const challengeId = await storeChallenge(db, 'register', user.id, options.challenge);
  return { challengeId, options };
}

/**
 * Finishes adding a passkey: verifies the browser's answer against the stored challenge and stores
 * the credential.
 * @param db - the database
 * @param rp - the relying party
 * @param userId - the signed-in account that asked for the options
 * @param input - the challenge id, the browser's response and a name for the passkey
 * @throws CodedError E_PASSKEY (details.reason `challenge` or `verification`), E_CONFLICT when the credential is already registered
 */
export async function finishRegistration(
  db: Db,
  rp: RelyingParty,
  userId: string,
  input: { challengeId: string; response: RegistrationResponseJSON; name: string },
): Promise<PasskeySummary> {
  const challenge = await takeChallenge(db, input.challengeId, 'register', userId);
  if (!challenge)
    throw new CodedError('E_PASSKEY', 'This passkey request has expired. Please try again.', {
      reason: 'challenge',
    });
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
  } catch (error) {
    throw new CodedError('E_PASSKEY', undefined, {
      reason: 'verification',
      detail: (error as Error).message,
    });
  }
  if (!verification.verified) throw new CodedError('E_PASSKEY', undefined, { reason: 'verification' });
  const { credential } = verification.registrationInfo;
  const rows = await db
    .insert(passkeys)
    .values({
      id: credential.id,
      userId,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? [],
      name: input.name,
    })
    .onConflictDoNothing({ target: passkeys.id })
    .returning(SUMMARY);
  const row = rows[0];
  if (!row) throw new CodedError('E_CONFLICT', 'This passkey is already registered.');
  return row;
}

/**
 * Starts a passwordless sign-in: options for `navigator.credentials.get` with no allowed credentials
 * listed (the browser offers the discoverable passkeys it has for this site).
 * @param db - the database
 * @param rp - the relying party
 */
export async function startAuthentication(
  db: Db,
  rp: RelyingParty,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'preferred',
    timeout: CHALLENGE_MINUTES * 60_000,
  });
  const challengeId = await storeChallenge(db, 'authenticate', null, options.challenge);
  return { challengeId, options };
}

/**
 * Finishes a passwordless sign-in: verifies the signature with the stored public key, checks the
 * user handle and the signature counter, and records the use.
 * @param db - the database
 * @param rp - the relying party
 * @param input - the challenge id and the browser's response
 * @returns the id of the account signing in
 * @throws CodedError E_PASSKEY (details.reason `challenge`, `unknown-credential` or `verification`)
 */
export async function finishAuthentication(
  db: Db,
  rp: RelyingParty,
  input: { challengeId: string; response: AuthenticationResponseJSON },
): Promise<{ userId: string }> {
  const challenge = await takeChallenge(db, input.challengeId, 'authenticate', null);
  if (!challenge)
    throw new CodedError('E_PASSKEY', 'This passkey request has expired. Please try again.', {
      reason: 'challenge',
    });
  const rows = await db.select().from(passkeys).where(eq(passkeys.id, input.response.id)).limit(1);
  const passkey = rows[0];
  if (!passkey) {
    throw new CodedError('E_PASSKEY', 'This passkey is not registered here (it may have been removed).', {
      reason: 'unknown-credential',
    });
  }
  const userHandle = input.response.response.userHandle;
  if (userHandle && userHandle !== isoBase64URL.fromBuffer(webauthnUserId(passkey.userId))) {
    throw new CodedError('E_PASSKEY', undefined, {
      reason: 'verification',
      detail: 'user handle does not match',
    });
  }
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.id,
        publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
  } catch (error) {
    throw new CodedError('E_PASSKEY', undefined, {
      reason: 'verification',
      detail: (error as Error).message,
    });
  }
  if (!verification.verified) throw new CodedError('E_PASSKEY', undefined, { reason: 'verification' });
  await db
    .update(passkeys)
    .set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: new Date() })
    .where(eq(passkeys.id, passkey.id));
  return { userId: passkey.userId };
}
