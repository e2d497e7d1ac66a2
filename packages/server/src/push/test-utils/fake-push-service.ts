import { createECDH, createPublicKey, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ece from 'http_ece';

/** One request the fake push service received. */
export interface PushRequest {
  /** The path of the endpoint it was sent to. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A browser's side of a subscription: what it sends to the server, and its private key to decrypt. */
export interface FakeBrowserSubscription {
  /** As `PushSubscription.toJSON()` gives it. */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  endpoint: string;
  path: string;
  /** Decrypts a push body (RFC 8291, aes128gcm) with this subscription's keys. */
  decrypt(body: Buffer): Buffer;
}

/** A decoded VAPID `Authorization: vapid t=…, k=…` header. */
export interface VapidAuthorization {
  header: { typ?: string; alg?: string };
  claims: { aud?: string; exp?: number; sub?: string };
  /** The server's public key (`k`), base64url. */
  publicKey: string;
  /** Whether the JWT's ES256 signature verifies with `k`. */
  signatureValid: boolean;
}

/**
 * A local push service over HTTPS (web-push only speaks https): a self-signed certificate for 127.0.0.1
 * made with openssl in a temporary directory, and an agent that trusts it. It records every request and
 * answers 201, or the status set for an endpoint path.
 */
export class FakePushService {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    /** An agent that trusts the certificate (pass it to web-push). */
    readonly agent: Agent,
    /** Every request received, in order. */
    readonly requests: PushRequest[],
    private readonly statuses: Map<string, number>,
  ) {}

  /** Starts one on a free port. Close it after the test. */
  static async start(): Promise<FakePushService> {
    const dir = mkdtempSync(join(tmpdir(), 'dystrack-push-'));
    let key: Buffer;
    let cert: Buffer;
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      key = readFileSync(join(dir, 'key.pem'));
      cert = readFileSync(join(dir, 'cert.pem'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const requests: PushRequest[] = [];
    const statuses = new Map<string, number>();
    const server = createServer({ key, cert }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        requests.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
        response.statusCode = statuses.get(path) ?? 201;
        response.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return new FakePushService(
      server,
      `https://127.0.0.1:${port}`,
      new Agent({ ca: cert, keepAlive: false }),
      requests,
      statuses,
    );
  }

  /** Makes the endpoint at `path` answer `status` from now on (e.g. 410: the subscription is gone). */
  answer(path: string, status: number): void {
    this.statuses.set(path, status);
  }

  /** A new browser subscription at this service: fresh P-256 keys and auth secret, as a browser makes them. */
  subscribe(): FakeBrowserSubscription {
    const ecdh: ECDH = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16).toString('base64url');
    const path = `/push/${randomUUID()}`;
    const endpoint = `${this.origin}${path}`;
    return {
      json: { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey('base64url'), auth } },
      endpoint,
      path,
      decrypt: (body) => ece.decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }),
    };
  }

  /** The requests sent to one endpoint path. */
  requestsTo(path: string): PushRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Decodes and checks a VAPID authorization header (RFC 8292): `vapid t=<JWT>, k=<public key>`.
 * @param value - the Authorization header
 */
export function parseVapidAuthorization(value: string | string[] | undefined): VapidAuthorization {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(text);
  if (!match) throw new Error(`not a VAPID authorization header: ${text}`);
  const [jwt, publicKey] = [match[1]!, match[2]!];
  const [header, claims, signature] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const signatureValid = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as VapidAuthorization['header'],
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as VapidAuthorization['claims'],
    publicKey,
    signatureValid,
  };
}
