import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CodedError, type ErrorBody, type ErrorCode } from '@dystrack/core';

/** The body of every error response, for route documentation (`schema.response[4xx]`): `{ code, message, details }`. */
export const errorBodySchema = z.object({
  code: z
    .string()
    .regex(/^E_[A-Z_]+$/)
    .describe('A stable code of the error catalogue'),
  message: z.string(),
  details: z.unknown().optional(),
});

/** Fastify's own error codes mapped to the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'E_JSON_MALFORMED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'E_JSON_MALFORMED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'E_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'E_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'E_BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'E_UNSUPPORTED_MEDIA_TYPE',
  FST_CP_ERR_INVALID_CONTENT: 'E_BAD_CONTENT_ENCODING',
  FST_CP_ERR_INVALID_CONTENT_ENCODING: 'E_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'E_VALIDATION',
  FST_ERR_BAD_URL: 'E_BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'E_BAD_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'E_BAD_REQUEST',
};

/** The status and body of any error: catalogue errors as they are, everything else mapped or hidden. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (error instanceof CodedError) return { status: error.status, body: error.toBody(), internal: false };
  const fastifyError = error as FastifyError & { statusCode?: number };
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const coded = new CodedError('E_VALIDATION', undefined, {
      issues: fastifyError.validation.slice(0, 20).map((issue) => ({
        path: `${fastifyError.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
        message: issue.message,
      })),
    });
    return { status: 400, body: coded.toBody(), internal: false };
  }
  if (fastifyError.statusCode === 429) {
    return { status: 429, body: new CodedError('E_RATE_LIMITED').toBody(), internal: false };
  }
  const code = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (code) {
    const coded = new CodedError(code);
    return { status: coded.status, body: coded.toBody(), internal: false };
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return {
      status: fastifyError.statusCode,
      body: new CodedError('E_BAD_REQUEST').toBody(),
      internal: false,
    };
  }
  return { status: 500, body: new CodedError('E_INTERNAL').toBody(), internal: true };
}

/** Installs the one error handler: coded `{ code, message, details }` bodies, never a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body, internal } = toErrorResponse(error);
    if (internal) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: body.code, status }, 'request refused');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
}
