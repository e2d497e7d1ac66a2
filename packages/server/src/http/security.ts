import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { CodedError } from '@dystrack/core';
import { z } from 'zod';
import { ACTIONS, NOTHING_SHARED, authorize, type Action, type AuthUser, type SharedWith } from '../authz.js';
import { loadSharedWith } from '../sharing/relations.js';
import type { Db } from '../db/database.js';
import { AuditWriter, type AuditRow } from './audit-writer.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, loadSession, newToken } from '../auth/sessions.js';

/**
 * Who may call a route. Every route declares one (a test walks the route table to check):
 * - `{ public: true }`: no sign-in needed (sign-up, log-in, health, API docs);
 * - `{ action, patient: 'subject' }`: the action on the data of the route's subject, checked on request, before
 *   the body is read. The subject is the caller, or the patient named by the `patient` query parameter (a
 *   clinician acting on data a patient shares with them; the parameter is documented on routes whose
 *   action can be shared). Handlers read the subject from `request.subjectId`;
 * - `{ action, patient: 'none' }`: an action on no patient's data (admin, account), checked the same way;
 * - `{ action, patient: 'resource' }`: the handler loads the resource and calls `request.authorize`
 *   with its patient; a handler that answers 2xx without doing so is turned into a 500 (fail closed).
 */
export type AccessRule =
  | { public: true }
  | { action: Action; patient: 'subject' | 'none' }
  | { action: Action; patient: 'resource' };

/** One audit record of a request, written when the response is sent. */
export interface AuditEntry {
  action: string;
  patientId: string | null;
  resource: string | null;
  details?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (required on every route). */
    access?: AccessRule;
    /** CSRF protection of a state-changing route; on unless set to false (never for cookie-authenticated routes). */
    csrf?: boolean;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    /** The patients who share data with the caller (an approved clinician), read on this request. */
    sharedWith: SharedWith;
    /**
     * Whose data a `patient: 'subject'` route acts on: the caller, or the patient named by `?patient=`
     * (authorized before the handler runs); null when nobody is signed in.
     */
    subjectId: string | null;
    sessionTokenHash: string | null;
    auditEntries: AuditEntry[];
    /**
     * The audit entry of the route's authorization (its access rule's, or the handler's first check of a
     * resource) or the one `auditAs` added; null until there is one.
     */
    routeAudit: AuditEntry | null;
    authorized: boolean;
    /**
     * Authorizes an action on a patient's data (or on none), recording an audit entry for patient data.
     * @throws CodedError E_UNAUTHENTICATED, E_FORBIDDEN or E_NOT_APPROVED
     */
    authorize(action: Action, patientId: string | null, resource?: string | null): void;
    /** Adds an audit entry for something the route did beyond its authorized action. */
    audit(entry: AuditEntry): void;
    /**
     * Names the audit entry of the route's authorization precisely: the action the handler performed
     * (`diary.create`, `share.revoke` …), the resource it acted on and details, merged into what the
     * entry had. Called again, it amends the same entry. Where the authorization wrote none, it adds
     * one for the request's subject.
     */
    auditAs(action: string, resource: string | null, details?: Record<string, unknown>): void;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const patientParameter = z
  .uuid()
  .optional()
  .describe(
    'The patient whose data this is, for a clinician the patient shares it with (see /api/v1/clinician/patients); ' +
      'leave out for your own data.',
  );

/**
 * Documents (and validates) the `patient` query parameter on every subject route whose action a patient
 * can share.
 */
function addPatientParameter(route: RouteOptions): void {
  const access = route.config?.access;
  if (!access || 'public' in access || access.patient !== 'subject') return;
  if (!('shared' in ACTIONS[access.action])) return;
  const schema = route.schema ?? {};
  const query = schema.querystring;
  if (query === undefined) route.schema = { ...schema, querystring: z.object({ patient: patientParameter }) };
  else if (query instanceof z.ZodObject)
    route.schema = { ...schema, querystring: query.extend({ patient: patientParameter }) };
  else throw new Error(`route ${route.url}: querystring schema is not an object, cannot add \`patient\``);
}

export interface SecurityOptions {
  db: Db;
  /** Whether cookies get the Secure attribute (the app is reached over https). */
  secureCookies: boolean;
}

/** Cookie options for the session and CSRF cookies. */
export function cookieOptions(secure: boolean, httpOnly: boolean) {
  return { path: '/', httpOnly, sameSite: 'lax' as const, secure };
}

/**
 * Installs the cross-cutting request pipeline: security headers, session loading, CSRF protection
 * of every state-changing request, the access rule of every route and the audit log.
 */
export function installSecurity(app: FastifyInstance, options: SecurityOptions): void {
  const { db } = options;
  const audit = new AuditWriter(db);
  app.decorateRequest('user', null);
  app.decorateRequest('sharedWith', null as unknown as SharedWith);
  app.decorateRequest('subjectId', null);
  app.decorateRequest('sessionTokenHash', null);
  app.decorateRequest('auditEntries', null as unknown as AuditEntry[]);
  app.decorateRequest('routeAudit', null);
  app.decorateRequest('authorized', false);
  app.decorateRequest(
    'authorize',
    function (this: FastifyRequest, action: Action, patientId: string | null, resource?: string | null) {
      const decision = authorize(this.user, action, patientId, this.sharedWith);
      if (ACTIONS[action].patientData || decision !== 'ok') {
        const entry: AuditEntry = {
          action,
          patientId,
          resource: resource ?? null,
          ...(decision === 'ok' ? {} : { details: { denied: decision } }),
        };
        this.auditEntries.push(entry);
        // the first is the route's: its access rule's, or the handler's check of the resource
        this.routeAudit ??= entry;
      }
      if (decision === 'unauthenticated') throw new CodedError('E_UNAUTHENTICATED');
      if (decision === 'not-approved') throw new CodedError('E_NOT_APPROVED');
      if (decision === 'forbidden')
        throw new CodedError(
          'E_FORBIDDEN',
          // a phone signed in by a hand-over code may only record: say so wherever the refusal is shown
          this.user?.scope === 'record'
            ? 'This phone is signed in for recording only; the rest is on the computer where you are fully signed in.'
            : undefined,
        );
      this.authorized = true;
    },
  );
  app.decorateRequest('audit', function (this: FastifyRequest, entry: AuditEntry) {
    this.auditEntries.push(entry);
  });
  app.decorateRequest(
    'auditAs',
    function (
      this: FastifyRequest,
      action: string,
      resource: string | null,
      details?: Record<string, unknown>,
    ) {
      let entry = this.routeAudit;
      if (!entry) {
        entry = { action, patientId: this.subjectId, resource };
        this.auditEntries.push(entry);
        this.routeAudit = entry;
      }
      entry.action = action;
      entry.resource = resource;
      if (details) entry.details = { ...entry.details, ...details };
    },
  );

  app.addHook('onRoute', addPatientParameter);

  app.addHook('onRequest', async (request, reply) => {
    request.auditEntries = [];
    request.routeAudit = null;
    request.sharedWith = NOTHING_SHARED;
    setSecurityHeaders(reply);
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await loadSession(db, token);
      if (session) {
        request.user = session.user;
        request.sessionTokenHash = session.tokenHash;
        if (session.user.role === 'clinician' && session.user.roleApproved && session.user.scope === 'full')
          request.sharedWith = await loadSharedWith(db, session.user.id);
      }
    }
    request.subjectId = request.user?.id ?? null;
    if (!request.cookies[CSRF_COOKIE]) {
      // issued on the first visit so that the page can send it back in a header
      reply.setCookie(CSRF_COOKIE, newToken(), cookieOptions(options.secureCookies, false));
    }
    if (
      UNSAFE.has(request.method) &&
      request.routeOptions.config.csrf !== false &&
      request.routeOptions.url
    ) {
      checkCsrf(request);
    }
    // The access rule is checked here, before the body is read: an unauthenticated or unauthorized
    // caller gets 401/403 without making the server decompress and parse (up to ~50 MB of) a body.
    const access = request.routeOptions.config.access;
    if (!access) {
      if (request.routeOptions.url)
        throw new Error(`route ${request.method} ${request.routeOptions.url} has no access rule`);
      return;
    }
    if ('public' in access) return;
    if (access.patient === 'subject') {
      const named = (request.query as Record<string, unknown> | undefined)?.patient;
      if (named !== undefined) {
        if (typeof named !== 'string' || !UUID.test(named))
          throw new CodedError('E_VALIDATION', 'The `patient` parameter must be a patient id.', {
            issues: [{ path: 'querystring.patient', message: 'must be a UUID' }],
          });
        request.subjectId = named.toLowerCase();
      }
      request.authorize(access.action, request.subjectId);
    } else if (access.patient === 'none') request.authorize(access.action, null);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    let body = payload;
    const access = request.routeOptions.config.access;
    if (
      access &&
      !('public' in access) &&
      access.patient === 'resource' &&
      !request.authorized &&
      reply.statusCode < 400
    ) {
      request.log.error(
        { route: request.routeOptions.url },
        'route answered without authorizing its resource',
      );
      reply.code(500).type('application/json; charset=utf-8');
      body = JSON.stringify(new CodedError('E_INTERNAL').toBody());
    }
    // auditEntries is unset when the request failed before onRequest (e.g. an unparseable URL)
    if (request.auditEntries?.length > 0) await audit.write(auditRows(request, reply.statusCode));
    return body;
  });
}

/** The patient a `patient: 'subject'` route acts on (authorized before the handler ran). */
export function subjectOf(request: FastifyRequest): string {
  if (!request.user || !request.subjectId) throw new CodedError('E_UNAUTHENTICATED');
  return request.subjectId;
}

function checkCsrf(request: FastifyRequest): void {
  // Browsers say where a request came from; a cross-site request is refused whatever it carries.
  const site = request.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none')
    throw new CodedError('E_CSRF', undefined, { reason: 'cross-site' });
  const cookie = request.cookies[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || header.length === 0 || header !== cookie) {
    throw new CodedError('E_CSRF');
  }
}

/** The audit rows of a request with its outcome. */
function auditRows(request: FastifyRequest, status: number): AuditRow[] {
  const user = request.user;
  return request.auditEntries.map((entry) => ({
    actorId: user?.id ?? null,
    actorRole: user?.role ?? null,
    patientId: entry.patientId,
    action: entry.action,
    resource: entry.resource,
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    status,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
    details: entry.details ?? null,
  }));
}

/** Headers on every response: cross-origin isolation (5 µs event timestamps) and the usual hardening. */
export function setSecurityHeaders(reply: FastifyReply): void {
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-embedder-policy', 'require-corp');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header(
    'content-security-policy',
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; " +
      "worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  );
  reply.header(
    'permissions-policy',
    'midi=(self), accelerometer=(self), gyroscope=(self), publickey-credentials-get=(self), publickey-credentials-create=(self)',
  );
}
