import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';

const RESOURCE = randomUUID();

describe('request.auditAs names the audit entry of the route’s authorization', () => {
  let t: TestApp;
  let patient: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({
      routes: (app) => {
        // a save that turns out to be a replay: the one entry is named, then amended
        app.post(
          '/test/audit/twice',
          { config: { access: { action: 'diary.write', patient: 'subject' } } },
          (request) => {
            request.auditAs('thing.create', 'thing:1', { first: true });
            request.auditAs('thing.create', 'thing:1', { replayed: true });
            return { ok: true };
          },
        );
        // an action that is not patient data writes no entry of its own: auditAs adds one for the subject
        app.get(
          '/test/audit/added',
          { config: { access: { action: 'account.read', patient: 'subject' } } },
          (request) => {
            request.auditAs('thing.looked-up', null, { found: false });
            return { ok: true };
          },
        );
        // a resource route: the handler's first check of the resource is the route's entry
        app.get(
          '/test/audit/resource',
          { config: { access: { action: 'recording.read', patient: 'resource' } } },
          (request) => {
            request.authorize('recording.read', request.user!.id, RESOURCE);
            request.audit({ action: 'thing.other', patientId: request.user!.id, resource: null });
            request.auditAs('thing.read', `thing:${RESOURCE}`);
            return { ok: true };
          },
        );
      },
    });
    patient = await signedInClient(t);
  });
  afterAll(() => t.close());

  const rows = async (route: string) =>
    (await t.database.db.select().from(auditLog).where(eq(auditLog.route, route))).map((r) => ({
      action: r.action,
      patientId: r.patientId,
      resource: r.resource,
      details: r.details,
    }));

  it('renames the access rule’s entry and merges the details of a second call into it', async () => {
    const response = await patient.client.request({ method: 'POST', url: '/test/audit/twice' });
    expect(response.statusCode, response.body).toBe(200);
    expect(await rows('/test/audit/twice')).toEqual([
      {
        action: 'thing.create',
        patientId: patient.user.id,
        resource: 'thing:1',
        details: { first: true, replayed: true },
      },
    ]);
  });

  it('adds one entry for the subject where the access rule wrote none', async () => {
    const response = await patient.client.request({ method: 'GET', url: '/test/audit/added' });
    expect(response.statusCode, response.body).toBe(200);
    expect(await rows('/test/audit/added')).toEqual([
      { action: 'thing.looked-up', patientId: patient.user.id, resource: null, details: { found: false } },
    ]);
  });

  it('on a resource route, names the handler’s first authorization, not a later entry', async () => {
    const response = await patient.client.request({ method: 'GET', url: '/test/audit/resource' });
    expect(response.statusCode, response.body).toBe(200);
    const stored = await rows('/test/audit/resource');
    expect(stored).toHaveLength(2);
    expect(stored).toContainEqual({
      action: 'thing.read',
      patientId: patient.user.id,
      resource: `thing:${RESOURCE}`,
      details: null,
    });
    expect(stored).toContainEqual({
      action: 'thing.other',
      patientId: patient.user.id,
      resource: null,
      details: null,
    });
  });
});
