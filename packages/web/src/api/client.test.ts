import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  apiDelete,
  apiGet,
  apiPost,
  apiRequest,
  fieldIssues,
  readCookie,
  setClientDeps,
} from './client.js';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

afterEach(() => setClientDeps());

describe('CSRF header', () => {
  it('state-changing requests carry x-csrf-token with the dystrack_csrf cookie value; GET does not', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true }));
    setClientDeps({
      fetch,
      csrfToken: () => readCookie('dystrack_csrf', 'theme=dark; dystrack_csrf=tok%2Ben; other=1'),
    });

    await apiGet('/api/v1/session');
    await apiPost('/api/v1/auth/login', { username: 'a', password: 'b' });
    await apiDelete('/api/v1/account', { password: 'b' });

    const calls = fetch.mock.calls as unknown as [string, RequestInit][];
    const headers = calls.map(([, init]) => init.headers as Record<string, string>);
    expect(headers[0]!['x-csrf-token']).toBeUndefined();
    expect(headers[1]!['x-csrf-token']).toBe('tok+en');
    expect(headers[2]!['x-csrf-token']).toBe('tok+en');
    expect(calls[1]![1]).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      body: '{"username":"a","password":"b"}',
    });
    expect(headers[1]!['content-type']).toBe('application/json');
  });

  it('reads the cookie from document.cookie by default', () => {
    document.cookie = 'dystrack_csrf=abc123';
    expect(readCookie('dystrack_csrf')).toBe('abc123');
    expect(readCookie('missing')).toBeNull();
  });

  it('sends a JSON text body as it is (the canonical form of a recording)', async () => {
    const fetch = vi.fn(async () => jsonResponse(201, { sha256: 'x' }));
    setClientDeps({ fetch, csrfToken: () => 't' });
    await apiRequest('/api/v1/recordings', { method: 'POST', body: '{"b":1,"a":2}' });
    expect((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body).toBe('{"b":1,"a":2}');
  });

  it('adds query parameters, leaving out empty ones', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { items: [], nextCursor: null }));
    setClientDeps({ fetch });
    await apiGet('/api/v1/recordings', { query: { limit: 20, cursor: null } });
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/api/v1/recordings?limit=20');
  });
});

describe('errors', () => {
  it('turns { code, message, details } into an ApiError with the status', async () => {
    setClientDeps({
      fetch: async () =>
        jsonResponse(400, {
          code: 'E_VALIDATION',
          message: 'The request does not match the expected format.',
          details: { issues: [{ path: 'body/username', message: 'too short' }] },
        }),
    });
    const error = await apiPost('/api/v1/auth/signup', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'E_VALIDATION',
      message: 'The request does not match the expected format.',
    });
    expect(fieldIssues(error)).toEqual({ username: 'too short' });
  });

  it('keeps Retry-After of a 429', async () => {
    setClientDeps({
      fetch: async () =>
        jsonResponse(429, { code: 'E_RATE_LIMITED', message: 'Too many attempts.' }, { 'retry-after': '12' }),
    });
    await expect(apiPost('/api/v1/auth/login', {})).rejects.toMatchObject({
      status: 429,
      code: 'E_RATE_LIMITED',
      retryAfter: '12',
    });
  });

  it('an answer without a known code still becomes a coded error (a proxy’s 502 page)', async () => {
    setClientDeps({ fetch: async () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    await expect(apiGet('/api/v1/session')).rejects.toMatchObject({ status: 502, code: 'E_INTERNAL' });
    setClientDeps({ fetch: async () => jsonResponse(418, { code: 'E_NOT_IN_CATALOGUE', message: 'x' }) });
    await expect(apiGet('/api/v1/session')).rejects.toMatchObject({ status: 418, code: 'E_BAD_RESPONSE' });
  });

  it('no answer at all is E_NETWORK with status 0', async () => {
    setClientDeps({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const error = (await apiGet('/api/v1/session').catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ status: 0, code: 'E_NETWORK' });
    expect(error.isNetwork).toBe(true);
  });

  it('a timeout is E_TIMEOUT', async () => {
    setClientDeps({
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    });
    await expect(apiGet('/api/v1/session', { timeoutMs: 5 })).rejects.toMatchObject({
      status: 0,
      code: 'E_TIMEOUT',
    });
  });

  it('204 gives an undefined body; a non-JSON 200 is E_BAD_RESPONSE', async () => {
    setClientDeps({ fetch: async () => new Response(null, { status: 204 }) });
    expect(await apiPost('/api/v1/auth/logout')).toBeUndefined();
    setClientDeps({ fetch: async () => new Response('hello', { status: 200 }) });
    await expect(apiGet('/api/v1/session')).rejects.toMatchObject({ code: 'E_BAD_RESPONSE' });
  });
});
