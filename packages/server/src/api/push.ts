import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { AuthUser } from '../authz.js';
import { isAllowedPushHost } from '../config.js';
import { dueReminderItems } from '../push/due.js';
import { TEST_NOTIFICATION } from '../push/payload.js';
import { PushService, registerPushService, vapidSubject } from '../push/service.js';
import { removeSubscription, saveSubscription } from '../push/subscriptions.js';
import { startReminderTimer, type ReminderTimer } from '../push/timer.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';

/** base64url without padding, decoding to exactly `bytes` bytes. */
function base64urlBytes(bytes: number, what: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'base64url without padding')
    .refine((value) => Buffer.from(value, 'base64url').length === bytes, `${what}: ${bytes} bytes`);
}

/** A push service endpoint: an https URL without credentials. */
const endpointSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'an https URL of a push service')
  .describe("the push service's URL for this browser (PushSubscription.endpoint)");

/** What `PushSubscription.toJSON()` gives in the browser. */
export const subscriptionInputSchema = z.strictObject({
  endpoint: endpointSchema,
  expirationTime: z.number().nullable().optional().describe('ignored: browsers renew subscriptions'),
  keys: z.strictObject({
    p256dh: base64urlBytes(65, 'p256dh').describe("the browser's P-256 public key"),
    auth: base64urlBytes(16, 'auth').describe("the browser's authentication secret"),
  }),
});

const sendSummarySchema = z.object({
  delivered: z.int().describe('devices whose push service accepted the notification'),
  failed: z.int().describe('devices that could not be reached now (tried again next time)'),
  removed: z.int().describe('devices whose subscription had ended; they were removed'),
});

/**
 * Web Push: the server's public VAPID key, the signed-in user's browser subscriptions and a test
 * notification. Also owns the reminder timer (every `reminderIntervalMinutes`, off when 0), which is
 * started when the app is ready and stopped, waiting for a run in progress, when it closes.
 */
export async function pushRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const service = new PushService({
    db,
    subject: vapidSubject(config.publicUrl),
    due: dueReminderItems,
    log: fastify.log,
  });
  registerPushService(db, service);

  let timer: ReminderTimer | null = null;
  fastify.addHook('onReady', async () => {
    if (config.reminderIntervalMinutes > 0) {
      timer = startReminderTimer(
        () => service.sendDueReminders(new Date()),
        config.reminderIntervalMinutes * 60_000,
        (error) => fastify.log.error({ err: error }, 'reminders: run failed'),
      );
    }
  });
  fastify.addHook('onClose', async () => {
    await timer?.stop();
  });

  const signedIn = (request: FastifyRequest): AuthUser => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user;
  };

  app.get(
    '/api/v1/push/public-key',
    {
      config: { access: { action: 'account.read', patient: 'none' } },
      schema: {
        tags: ['push'],
        summary: "The server's VAPID public key, for PushManager.subscribe (applicationServerKey)",
        response: {
          200: z.object({ publicKey: z.string().describe('base64url, an uncompressed P-256 point') }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async () => ({ publicKey: (await service.keys()).publicKey }),
  );

  app.post(
    '/api/v1/push/subscriptions',
    {
      config: { access: { action: 'account.update', patient: 'none' } },
      schema: {
        tags: ['push'],
        summary: "Stores this browser's push subscription for the signed-in user",
        description:
          'The body is `PushSubscription.toJSON()`. The same endpoint again updates its keys (200). An endpoint stored for ' +
          'another account answers 409 E_CONFLICT and is left alone: the browser should unsubscribe and subscribe anew. ' +
          "Only endpoints of the push services the server's administrator allows (`DYSTRACK_PUSH_HOSTS`) are stored.",
        body: subscriptionInputSchema,
        response: {
          200: z.object({ endpoint: z.string() }).describe('Updated'),
          201: z.object({ endpoint: z.string() }).describe('Stored'),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          409: errorResponse('E_CONFLICT (the endpoint is stored for another account)'),
        },
      },
    },
    async (request, reply) => {
      const user = signedIn(request);
      if (!isAllowedPushHost(request.body.endpoint, config.pushServiceHosts)) {
        throw new CodedError(
          'E_VALIDATION',
          'This browser uses a push service this server does not send to.',
          {
            issues: [{ path: 'body.endpoint', message: 'not the host of an allowed push service' }],
          },
        );
      }
      const { created } = await saveSubscription(
        db,
        user.id,
        request.body,
        request.headers['user-agent'] ?? null,
      );
      return reply.code(created ? 201 : 200).send({ endpoint: request.body.endpoint });
    },
  );

  app.delete(
    '/api/v1/push/subscriptions',
    {
      config: { access: { action: 'account.update', patient: 'none' } },
      schema: {
        tags: ['push'],
        summary: "Removes one of the signed-in user's push subscriptions, by endpoint",
        description:
          'Answers 204 whether or not the user had it; another account’s subscription is never removed.',
        body: z.strictObject({ endpoint: z.string().max(2048) }),
        response: {
          204: z.null().describe('Removed, or there was none'),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
        },
      },
    },
    async (request, reply) => {
      await removeSubscription(db, signedIn(request).id, request.body.endpoint);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/push/test',
    {
      config: {
        access: { action: 'account.update', patient: 'none' },
        // each press makes the server contact push services: a few a minute are plenty
        rateLimit: {
          max: 10,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => request.user?.id ?? request.ip,
        },
      },
      schema: {
        tags: ['push'],
        summary: "Sends a test notification to the signed-in user's subscribed devices",
        description:
          'The notification says only that it is a test. A subscription the push service answers with 404 or 410 is removed.',
        response: {
          200: sendSummarySchema,
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => service.sendToUser(signedIn(request).id, TEST_NOTIFICATION),
  );
}
