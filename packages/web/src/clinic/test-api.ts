import { vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { ClinicPatient } from './api.js';

/*
 * Tests only: a fake fetch that answers the issue-11 routes as the contract shapes them, and records every
 * request (method, path with query, JSON body) for the assertions.
 */

export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** An answer: status and JSON body (undefined for an empty body). */
export type Answer = { status: number; body?: unknown };

/** A route: `METHOD /path` (no query) → answer, or a function of the request. */
export type Routes = Record<string, Answer | ((request: SeenRequest) => Answer)>;

/** Installs the fake fetch; returns the requests seen. Call `setClientDeps()` after the test. */
export function mockApi(routes: Routes): SeenRequest[] {
  const seen: SeenRequest[] = [];
  setClientDeps({
    csrfToken: () => 'csrf',
    fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const parsed = new URL(url, 'http://localhost');
      const method = init?.method ?? 'GET';
      const request: SeenRequest = {
        method,
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      seen.push(request);
      const route = routes[`${method} ${parsed.pathname}`];
      const answer: Answer = !route
        ? { status: 404, body: { code: 'E_NOT_FOUND', message: `No route ${method} ${parsed.pathname}.` } }
        : typeof route === 'function'
          ? route(request)
          : route;
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  });
  return seen;
}

/** A patient of the clinician's list, with defaults. */
export function clinicPatient(overrides: Partial<ClinicPatient> = {}): ClinicPatient {
  return {
    patientId: '66666666-6666-4666-8666-666666666666',
    displayName: 'Jane Doe',
    username: 'jane',
    scopes: ['tasks', 'diary'],
    sharedSince: '2026-09-01T10:00:00Z',
    expiresAt: '2027-09-01T10:00:00Z',
    lastVisitAt: '2026-10-03T09:00:00Z',
    changes: { since: '2026-10-03T09:00:00Z', worse: 0, better: 0, items: [] },
    ...overrides,
  };
}
