import { fileURLToPath } from 'node:url';

/** Where test database templates and copies live (git-ignored). */
export const TEMPLATE_ROOT = fileURLToPath(new URL('../../../../.tmp/test-db', import.meta.url));

/** Name of the PostgreSQL template database for a migrations digest. */
export function pgTemplateName(digest: string): string {
  return `dystrack_tmpl_${digest}`;
}
