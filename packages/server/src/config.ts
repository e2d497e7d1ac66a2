import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CrisisResource } from '@dystrack/core';

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
  /** Support services shown with a PHQ-9 item 9 answer above 0 (`CRISIS_RESOURCES`). */
  crisisResources: CrisisResource[];
  /** Minutes between two reminder runs (Web Push); 0 turns reminders off. */
  reminderIntervalMinutes: number;
  /**
   * Hosts of the push services whose endpoints browsers may register (`DYSTRACK_PUSH_HOSTS`, comma-separated;
   * a name also allows its subdomains): the server sends to these only, so that an account cannot make it
   * post to hosts of the internal network.
   */
  pushServiceHosts: string[];
}

/** The push services of Chrome and Edge (FCM), Firefox (Mozilla autopush), Safari (Apple) and Windows (WNS). */
export const DEFAULT_PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'push.services.mozilla.com',
  'push.apple.com',
  'notify.windows.com',
];

/** Whether a push endpoint's host is one of `hosts` or a subdomain of one. */
export function isAllowedPushHost(endpoint: string, hosts: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
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
    crisisResources: parseCrisisResources(env.CRISIS_RESOURCES),
    reminderIntervalMinutes: parseMinutes('DYSTRACK_REMINDER_MINUTES', env.DYSTRACK_REMINDER_MINUTES || '5'),
    pushServiceHosts: env.DYSTRACK_PUSH_HOSTS
      ? env.DYSTRACK_PUSH_HOSTS.split(',')
          .map((host) => host.trim().toLowerCase())
          .filter(Boolean)
      : DEFAULT_PUSH_SERVICE_HOSTS,
  };
}

/** What people are told when the administrator has listed no support services. */
export const DEFAULT_CRISIS_RESOURCES: CrisisResource[] = [
  {
    name: 'Emergency services',
    contact: 'Call your local emergency number (for example 112 in Europe, 911 in North America)',
    description: 'If you are in danger now, or might act on these thoughts.',
  },
];

const crisisResourcesSchema = z
  .array(
    z.strictObject({
      name: z.string().trim().min(1).max(200),
      contact: z.string().trim().min(1).max(500),
      description: z.string().trim().min(1).max(1000).optional(),
    }),
  )
  .max(20);

/**
 * The administrator's crisis resources: `CRISIS_RESOURCES` holds a JSON array of
 * `{ name, contact, description? }`, or the path of a file that does. Unset gives
 * {@link DEFAULT_CRISIS_RESOURCES}; `[]` lists none (people are then told to call their local emergency
 * number and turn to a crisis line, their doctor or someone they trust); an unreadable or invalid value stops the start (a safety text
 * must not silently fall back).
 * @param value - the variable's value
 * @throws Error naming the problem
 */
export function parseCrisisResources(value: string | undefined): CrisisResource[] {
  const raw = value?.trim();
  if (!raw) return DEFAULT_CRISIS_RESOURCES.map((resource) => ({ ...resource }));
  let text = raw;
  if (!raw.startsWith('[')) {
    try {
      text = readFileSync(raw, 'utf8');
    } catch (error) {
      throw new Error(`CRISIS_RESOURCES: cannot read ${raw}: ${(error as Error).message}`, { cause: error });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error('CRISIS_RESOURCES: not valid JSON (a JSON array or the path of a file holding one)', {
      cause: error,
    });
  }
  const parsed = crisisResourcesSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `CRISIS_RESOURCES: expected an array of { name, contact, description? }: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

function parseMinutes(name: string, value: string): number {
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 24 * 60)
    throw new RangeError(`invalid ${name}: ${value}`);
  return minutes;
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
    // no background reminder runs: tests call sendDueReminders themselves
    reminderIntervalMinutes: 0,
    // the tests' fake push service listens on 127.0.0.1
    pushServiceHosts: [...DEFAULT_PUSH_SERVICE_HOSTS, '127.0.0.1'],
    ...overrides,
  };
}
