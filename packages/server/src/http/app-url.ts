import type { FastifyRequest } from 'fastify';

/** The app's address without a trailing slash: PUBLIC_URL, or the one the request came to. */
export function appUrl(publicUrl: string | undefined, request: FastifyRequest): string {
  return (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}
