import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { AuthUser } from '../authz.js';
import {
  deletePasskey,
  finishRegistration,
  listPasskeys,
  relyingParty,
  startRegistration,
  type PasskeySummary,
} from '../auth/webauthn.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');

/** The JSON of a `PublicKeyCredential` from `navigator.credentials.create` (as @simplewebauthn/browser returns it). */
export const registrationResponseSchema = z.looseObject({
  id: base64url.min(1).max(1024),
  rawId: base64url.min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url.max(64 * 1024),
    attestationObject: base64url.max(64 * 1024),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** The JSON of a `PublicKeyCredential` from `navigator.credentials.get` (as @simplewebauthn/browser returns it). */
export const authenticationResponseSchema = z.looseObject({
  id: base64url.min(1).max(1024),
  rawId: base64url.min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url.max(64 * 1024),
    authenticatorData: base64url.max(64 * 1024),
    signature: base64url.max(64 * 1024),
    userHandle: base64url.max(1024).nullish(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** A passkey as its owner sees it. */
export const passkeySchema = z.object({
  id: z.string().describe('credential id, base64url'),
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

function toJson(passkey: PasskeySummary): z.infer<typeof passkeySchema> {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  };
}

/** The signed-in user's passkeys: list, add (WebAuthn registration), remove. */
export async function passkeyRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const signedIn = (request: FastifyRequest): AuthUser => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user;
  };

  app.get(
    '/api/v1/passkeys',
    {
      config: { access: { action: 'account.read', patient: 'none' } },
      schema: {
        tags: ['passkeys'],
        summary: "The signed-in user's passkeys, oldest first",
        response: {
          200: z.object({ items: z.array(passkeySchema) }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async (request) => ({ items: (await listPasskeys(db, signedIn(request).id)).map(toJson) }),
  );

  app.post(
    '/api/v1/passkeys/register/options',
    {
      config: { access: { action: 'passkey.manage', patient: 'none' } },
      schema: {
        tags: ['passkeys'],
        summary: 'Starts adding a passkey to the signed-in account',
        description:
          'Pass `options` to `startRegistration({ optionsJSON: options })` of @simplewebauthn/browser, then send its result ' +
          'with `challengeId` to /api/v1/passkeys/register/verify within 5 minutes. The passkey is discoverable ' +
          '(resident key required), user verification preferred, no attestation; passkeys already on the account are excluded.',
        response: {
          200: z.object({
            challengeId: z.uuid(),
            options: z
              .looseObject({
                challenge: z.string(),
                rp: z.looseObject({ name: z.string(), id: z.string().optional() }),
              })
              .describe('PublicKeyCredentialCreationOptionsJSON'),
          }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
        },
      },
    },
    async (request) => {
      const rp = relyingParty(config.publicUrl, request);
      const { challengeId, options: credentialOptions } = await startRegistration(db, rp, signedIn(request));
      return { challengeId, options: { ...credentialOptions, rp: { ...credentialOptions.rp } } };
    },
  );

  app.post(
    '/api/v1/passkeys/register/verify',
    {
      config: { access: { action: 'passkey.manage', patient: 'none' } },
      schema: {
        tags: ['passkeys'],
        summary: 'Finishes adding a passkey',
        description:
          "Answers 400 E_PASSKEY with `details.reason` `challenge` (unknown, used, expired or another account's challenge: " +
          'start again) or `verification`; 409 E_CONFLICT when the passkey is already registered.',
        body: z.strictObject({
          challengeId: z.uuid(),
          response: registrationResponseSchema,
          name: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .default('Passkey')
            .describe('a name to tell passkeys apart, e.g. "Phone"'),
        }),
        response: {
          201: passkeySchema,
          400: errorResponse('E_VALIDATION, E_PASSKEY'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          409: errorResponse('E_CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const passkey = await finishRegistration(
        db,
        relyingParty(config.publicUrl, request),
        signedIn(request).id,
        {
          challengeId: request.body.challengeId,
          response: request.body.response as unknown as RegistrationResponseJSON,
          name: request.body.name,
        },
      );
      return reply.code(201).send(toJson(passkey));
    },
  );

  app.delete(
    '/api/v1/passkeys/:id',
    {
      config: { access: { action: 'passkey.manage', patient: 'none' } },
      schema: {
        tags: ['passkeys'],
        summary: 'Removes a passkey from the signed-in account',
        params: z.object({ id: base64url.min(1).max(1024) }),
        response: {
          204: z.null().describe('Removed'),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          404: errorResponse('E_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      if (!(await deletePasskey(db, signedIn(request).id, request.params.id))) {
        throw new CodedError('E_NOT_FOUND', 'There is no such passkey on this account.');
      }
      return reply.code(204).send(null);
    },
  );
}
