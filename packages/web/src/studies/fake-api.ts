import { vi } from 'vitest';
import { setClientDeps } from '../api/client.js';

/*
 * A fake of the studies API for the page tests: answers by "METHOD /path" (the query left out), shaped
 * like the issue 11 contract, and records every call with its parsed body.
 */

/** One answer of the fake: status (200 by default), JSON body, extra headers. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A handler: the parsed request body in, the answer out. */
export type FakeRoute = (body: unknown) => FakeAnswer;

/** One recorded call. */
export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
}

/** Installs the fake as the API client's fetch (tests only); unknown routes answer 404 E_NOT_FOUND. */
export function fakeStudiesApi(routes: Record<string, FakeRoute>) {
  const calls: FakeCall[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname, body });
    const route = routes[`${method} ${url.pathname}`];
    const answer: FakeAnswer = route
      ? route(body)
      : { status: 404, body: { code: 'E_NOT_FOUND', message: 'No such route.', details: null } };
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  });
  setClientDeps({ fetch, csrfToken: () => 'csrf' });
  return {
    calls,
    /** The calls of one method and path. */
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}
