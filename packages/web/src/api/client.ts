import { isErrorCode, type ErrorCode } from '@dystrack/core';

/** Name of the CSRF cookie the server sets on the first response (readable by the page, not HttpOnly). */
export const CSRF_COOKIE = 'dystrack_csrf';
/** Header that must echo the CSRF cookie on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Client-side codes for failures that never reached the server or that the server did not explain.
 * They sit beside the catalogue's `E_…` codes so that callers can switch on one `code`.
 */
export type ClientErrorCode = 'E_NETWORK' | 'E_TIMEOUT' | 'E_BAD_RESPONSE' | 'E_ABORTED';

/** A failed API call: the HTTP status (0 when no answer came) and the server's `{ code, message, details }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly details: unknown;
  /** The answer's `Retry-After` header (429, 503), if any. */
  readonly retryAfter: string | null;

  constructor(
    status: number,
    code: ErrorCode | ClientErrorCode,
    message: string,
    details?: unknown,
    retryAfter: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** Whether the request never got an HTTP answer (offline, server down, timeout). */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** A serializable copy, for storing in IndexedDB. */
  toJSON(): { status: number; code: string; message: string; details?: unknown } {
    return this.details === undefined
      ? { status: this.status, code: this.code, message: this.message }
      : { status: this.status, code: this.code, message: this.message, details: this.details };
  }
}

/** Field-level problems in an error's `details.issues` (`[{ path, message }]`), by field path. */
export function fieldIssues(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return out;
  for (const issue of issues) {
    if (issue && typeof issue === 'object' && typeof (issue as { message?: unknown }).message === 'string') {
      const path = String((issue as { path?: unknown }).path ?? '').replace(/^body[./]?/, '');
      out[path] ??= (issue as { message: string }).message;
    }
  }
  return out;
}

/** Reads a cookie of `document.cookie` by name, or null. */
export function readCookie(
  name: string,
  cookies: string = typeof document === 'undefined' ? '' : document.cookie,
): string | null {
  for (const part of cookies.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return part.slice(index + 1).trim();
      }
    }
  }
  return null;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Options of one API request. */
export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A value to send as JSON, or a string that already is JSON text (sent as is). */
  body?: unknown;
  signal?: AbortSignal;
  /** Gives up after this many ms with `E_TIMEOUT` (default: no limit besides `signal`). */
  timeoutMs?: number;
  /** Query parameters; undefined and null values are left out. */
  query?: Record<string, string | number | undefined | null>;
  /** Extra request headers, e.g. `Idempotency-Key` (the JSON, CSRF and accept headers win). */
  headers?: Record<string, string>;
}

/** What a successful call returned besides its body. */
export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Dependencies of the client, replaceable in tests. */
export interface ClientDeps {
  fetch: typeof fetch;
  /** Returns the current CSRF token (the cookie), or null. */
  csrfToken: () => string | null;
}

const defaultDeps: ClientDeps = {
  fetch: (...args) => globalThis.fetch(...args),
  csrfToken: () => readCookie(CSRF_COOKIE),
};

let deps: ClientDeps = defaultDeps;

/** Replaces the client's fetch or cookie reader (tests); call with no argument to restore the defaults. */
export function setClientDeps(next?: Partial<ClientDeps>): void {
  deps = next ? { ...defaultDeps, ...next } : defaultDeps;
}

/**
 * Calls the Dystrack API and returns the status, parsed JSON body and headers.
 * State-changing methods carry the CSRF header. Failures throw {@link ApiError}: with the server's
 * `{ code, message, details }` for HTTP errors, `E_NETWORK` (status 0) when no answer came.
 * @param path - the path under the origin, e.g. `/api/v1/session`
 */
export async function apiRequest<T = unknown>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  if (UNSAFE_METHODS.has(method)) {
    const token = deps.csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query))
      if (value !== undefined && value !== null) params.set(key, String(value));
    const text = params.toString();
    if (text) url += (url.includes('?') ? '&' : '?') + text;
  }

  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeoutMs);

  let response: Response;
  try {
    if (options.signal?.aborted) throw options.signal.reason ?? new DOMException('Aborted', 'AbortError');
    response = await deps.fetch(url, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: controller.signal,
    });
  } catch (cause) {
    if (timedOut) throw new ApiError(0, 'E_TIMEOUT', 'The server took too long to answer.');
    if (options.signal?.aborted) throw new ApiError(0, 'E_ABORTED', 'The request was cancelled.');
    throw new ApiError(0, 'E_NETWORK', 'The server could not be reached. Check the connection.', {
      cause: cause instanceof Error ? cause.message : String(cause),
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }

  const text = await response.text().catch(() => '');
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw errorFromResponse(response.status, parsed, response.headers.get('retry-after'));
  if (parsed === undefined && text.length > 0) {
    throw new ApiError(response.status, 'E_BAD_RESPONSE', 'The server sent an answer that is not JSON.');
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Turns an HTTP error answer into an {@link ApiError}, keeping the server's code and message. */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null = null): ApiError {
  if (body && typeof body === 'object') {
    const { code, message, details } = body as { code?: unknown; message?: unknown; details?: unknown };
    if (isErrorCode(code)) {
      return new ApiError(
        status,
        code,
        typeof message === 'string' && message ? message : code,
        details,
        retryAfter,
      );
    }
  }
  return new ApiError(status, fallbackCode(status), fallbackMessage(status), undefined, retryAfter);
}

function fallbackCode(status: number): ErrorCode | ClientErrorCode {
  if (status === 401) return 'E_UNAUTHENTICATED';
  if (status === 403) return 'E_FORBIDDEN';
  if (status === 404) return 'E_NOT_FOUND';
  if (status === 413) return 'E_BODY_TOO_LARGE';
  if (status === 429) return 'E_RATE_LIMITED';
  if (status >= 500) return 'E_INTERNAL';
  return 'E_BAD_RESPONSE';
}

function fallbackMessage(status: number): string {
  if (status === 502 || status === 503 || status === 504)
    return 'The server is not available right now. Please try again in a moment.';
  if (status >= 500) return 'Something went wrong on the server.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  return `The server refused the request (HTTP ${status}).`;
}

/** GET and return the body. */
export async function apiGet<T>(
  path: string,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<T> {
  return (await apiRequest<T>(path, { ...options, method: 'GET' })).body;
}

/** POST JSON and return the body (undefined for 204). */
export async function apiPost<T>(
  path: string,
  body?: unknown,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<T> {
  return (await apiRequest<T>(path, { ...options, method: 'POST', body: body ?? {} })).body;
}

/** PUT JSON and return the body. */
export async function apiPut<T>(
  path: string,
  body: unknown,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<T> {
  return (await apiRequest<T>(path, { ...options, method: 'PUT', body })).body;
}

/** DELETE (with an optional JSON body) and return the body (undefined for 204). */
export async function apiDelete<T = void>(
  path: string,
  body?: unknown,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<T> {
  return (await apiRequest<T>(path, { ...options, method: 'DELETE', body })).body;
}
