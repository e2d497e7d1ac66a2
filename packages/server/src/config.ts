import { randomBytes } from 'node:crypto';

/** Server settings, from the environment (see the README's configuration table). */
export interface ServerConfig {
  host: string;
  port: number;
  /** Embedded database directory (PGlite), used when no databaseUrl is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** The address people reach the app at, e.g. https://dystrack.example.org (for passkeys, links, QR codes). */
  publicUrl: string | undefined;
  /** Directory of the built web app to serve; null serves the API only. */
  webDir: string | null;
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy: boolean;
  /** Sign-in attempts per minute per address and user name. */
  loginRateLimit: number;
  /** Session lifetime in hours. */
  sessionHours: number;
  /** Secret for signing short-lived values; random per start unless set. */
  secret: string;
  logLevel: string;
  /** PostgreSQL pool size. */
  poolSize: number;
}

/** Reads the configuration from environment variables, with defaults for a local start. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: parsePort(env.PORT ?? '8080'),
    dataDir: env.DYSTRACK_DATA_DIR ?? 'data',
    databaseUrl: env.DATABASE_URL || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    webDir: env.DYSTRACK_WEB_DIR ?? null,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    loginRateLimit: Number(env.DYSTRACK_LOGIN_RATE_LIMIT ?? 10),
    sessionHours: Number(env.DYSTRACK_SESSION_HOURS ?? 24 * 14),
    secret: env.DYSTRACK_SECRET ?? randomBytes(32).toString('base64url'),
    logLevel: env.LOG_LEVEL ?? 'info',
    poolSize: Number(env.DYSTRACK_DB_POOL ?? 10),
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid PORT: ${value}`);
  return port;
}

/** A configuration for tests: no web directory, quiet logs, generous rate limits. */
export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    ...configFromEnv({}),
    port: 0,
    logLevel: 'silent',
    loginRateLimit: 1000,
    secret: 'test-secret',
    ...overrides,
  };
}
