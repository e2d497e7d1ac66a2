import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, isAppPage, withIsolation } from './worker.js';

describe('withIsolation (responses from the service worker’s cache)', () => {
  it('adds the cross-origin isolation headers a cached response lacks, keeping its body, status and other headers', async () => {
    const response = withIsolation(
      new Response('<!doctype html>', {
        status: 200,
        headers: { 'content-type': 'text/html', 'cross-origin-opener-policy': 'same-origin' },
      }),
    );
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/html',
      ...ISOLATION_HEADERS,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html>');
  });

  it('keeps a response that has them as it is, and the server’s own values', () => {
    const complete = new Response('x', {
      headers: { ...ISOLATION_HEADERS, 'cross-origin-resource-policy': 'same-site' },
    });
    expect(withIsolation(complete)).toBe(complete);
    expect(complete.headers.get('cross-origin-resource-policy')).toBe('same-site');
  });
});

describe('isAppPage (navigations answered with the cached app)', () => {
  it('answers the app’s pages, with their queries', () => {
    for (const path of ['/', '/recordings', '/tasks/typing/right', '/learn/what-is-dystonia', '/?e2e=1'])
      expect(isAppPage(path), path).toBe(true);
  });

  it('never the API, the calendar feeds or a file', () => {
    for (const path of [
      '/api/v1/session',
      '/api/docs/',
      '/calendar/abc.ics',
      '/calendar/feed',
      '/sw.js',
      '/manifest.webmanifest',
      '/icons/icon-192.png',
      '/assets/index-abc.js?v=1',
    ])
      expect(isAppPage(path), path).toBe(false);
  });
});
