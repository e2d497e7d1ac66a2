import { describe, expect, it } from 'vitest';
import { relyingParty, webauthnUserId } from './webauthn.js';

describe('relyingParty(publicUrl, request)', () => {
  it('takes id and origin from the public URL when one is configured', () => {
    expect(
      relyingParty('https://dystrack.example.org/app/', { protocol: 'http', host: 'internal:8080' }),
    ).toEqual({
      id: 'dystrack.example.org',
      origin: 'https://dystrack.example.org',
    });
  });

  it('otherwise takes them from the request, without a default port in the origin', () => {
    expect(relyingParty(undefined, { protocol: 'http', host: 'localhost:80' })).toEqual({
      id: 'localhost',
      origin: 'http://localhost',
    });
    expect(relyingParty(undefined, { protocol: 'http', host: 'localhost:5173' })).toEqual({
      id: 'localhost',
      origin: 'http://localhost:5173',
    });
  });
});

describe('webauthnUserId(userId)', () => {
  it('is the UTF-8 bytes of the account id', () => {
    expect(Buffer.from(webauthnUserId('0b7c6a52-1111-4222-8333-944445555666')).toString()).toBe(
      '0b7c6a52-1111-4222-8333-944445555666',
    );
  });
});
