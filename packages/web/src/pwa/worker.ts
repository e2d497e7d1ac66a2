/*
 * Pure helpers of the service worker (src/sw.ts), kept apart from it so that they can be tested without a
 * worker scope.
 */

/**
 * The headers that make a page cross-origin isolated (5 µs event timestamps, SharedArrayBuffer). The server
 * sends them on every response; the service worker makes sure a response from its cache has them too.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The response with {@link ISOLATION_HEADERS} added where missing (the server's own values are kept). An
 * opaque response (no readable headers) is returned as it is.
 */
export function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const missing = Object.keys(ISOLATION_HEADERS).filter((name) => !response.headers.has(name));
  if (missing.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const name of missing) headers.set(name, ISOLATION_HEADERS[name]!);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Navigations that are not pages of the app, so never answered with the cached app: the API (its answers
 * are never cached), the calendar feeds, and addresses of files (`/sw.js`, `/icons/icon-192.png`, …).
 */
export const NOT_APP_PAGES: readonly RegExp[] = [/^\/api\//, /^\/calendar\//, /\/[^/?]*\.[a-z0-9]+(\?|$)/i];

/** Whether a navigation to this path (with its query) is a page of the app. */
export function isAppPage(pathAndQuery: string): boolean {
  return !NOT_APP_PAGES.some((pattern) => pattern.test(pathAndQuery));
}
