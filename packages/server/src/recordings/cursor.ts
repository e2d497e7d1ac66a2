import type { z } from 'zod';
import { CodedError } from '@dystrack/core';

/**
 * An opaque page cursor: base64url of a small JSON object. Clients pass back what they got as
 * `nextCursor`; they never build one.
 * @param value - the position, strings only (so that no precision is lost)
 */
export function encodeCursor(value: Record<string, string>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor}.
 * @param cursor - the query parameter
 * @param schema - what the position must look like
 * @throws CodedError `E_VALIDATION` for anything else
 */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new CodedError('E_VALIDATION', 'The page cursor is not valid.', {
      issues: [{ path: 'querystring.cursor', message: 'invalid cursor' }],
    });
  }
  return result.data;
}
