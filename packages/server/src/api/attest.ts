import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  CodedError,
  manifestRecordingSchema,
  overallWords,
  shortFingerprint,
  toBase64Url,
  verdictWords,
  verificationCode,
  type SignedManifest,
  type VerificationResult,
} from '@dystrack/core';
import { attestedReports } from '../db/schema.js';
import { signingKeyFor } from '../attest/keys.js';
import { issueWorkCapacityReport, verifyOnServer } from '../attest/issue.js';
import { ManifestNotFoundError, readSignedManifest } from '../attest/pdf-manifest.js';
import {
  SHARE_MAX_DAYS,
  createShareLink,
  listShareLinks,
  openShareLink,
  revokeShareLink,
  shareState,
} from '../attest/share.js';
import { addressRateLimit } from './auth.js';
import { reportPeriodSchema } from './reports.js';
import type { ApiOptions } from './index.js';
import { subjectOf } from '../http/security.js';
import { errorResponse } from './session.js';

/** The largest PDF the verification page reads (a report of five years with every session is far smaller). */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

const statusSchema = z.enum(['matches', 'altered', 'erased', 'missing']);

/** A verification as the API answers it: only what the report itself holds, plus each recording's state. */
const verificationSchema = z.object({
  overall: z.enum(['matches', 'altered', 'erased']),
  summary: z.string().describe('the overall verdict in one plain sentence'),
  signature: z.enum(['valid', 'invalid', 'other-key']),
  chainIntact: z.boolean(),
  checkedAgainstServer: z.boolean(),
  problems: z.array(z.string()),
  code: z
    .string()
    .describe('the verification code of the manifest checked; must equal the one printed on the report'),
  reportId: z.string(),
  issuedAt: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  analysisVersion: z.string(),
  recordings: z.array(
    manifestRecordingSchema.extend({
      status: statusSchema,
      erasedAt: z.string().nullable(),
      words: z.string().describe('`matches`, `altered (…)` or `recording erased by its owner on <date>`'),
    }),
  ),
});
type Verification = z.infer<typeof verificationSchema>;

function present(signed: SignedManifest, result: VerificationResult): Verification {
  const byId = new Map(result.recordings.map((r) => [r.id, r]));
  return {
    overall: result.overall,
    summary: overallWords(result),
    signature: result.signature,
    chainIntact: result.chain.intact,
    checkedAgainstServer: result.checkedAgainstServer,
    problems: result.problems,
    code: verificationCode(signed),
    reportId: signed.manifest.reportId,
    issuedAt: signed.manifest.issuedAt,
    period: signed.manifest.period,
    analysisVersion: signed.manifest.analysisVersion,
    recordings: signed.manifest.recordings.map(({ link: _link, ...entry }) => {
      const verdict = byId.get(entry.id)!;
      return {
        ...entry,
        status: verdict.status,
        erasedAt: verdict.status === 'erased' ? verdict.erasedAt : null,
        words: verdictWords(verdict),
      };
    }),
  };
}

const SHARE_REFUSALS = {
  unknown: () => 'This link is not valid. Ask the person who gave it to you for a new one.',
  expired: (at: Date | null) =>
    `This link expired on ${at?.toISOString().slice(0, 10) ?? 'an earlier date'}. Ask the person who gave it to you for a new one.`,
  revoked: (at: Date | null) =>
    `The person withdrew this link on ${at?.toISOString().slice(0, 10) ?? 'an earlier date'}.`,
} as const;

/** What the API says of an issued report (the list, and the answer to issuing one). */
const issuedReportSchema = z.object({
  id: z.string(),
  issuedAt: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  recordings: z.number().int(),
  code: z.string().describe('the verification code printed on every page'),
});

function issuedReport(row: { id: string; issuedAt: Date; signed: SignedManifest }) {
  return {
    id: row.id,
    issuedAt: row.issuedAt.toISOString(),
    period: row.signed.manifest.period,
    recordings: row.signed.manifest.recordings.length,
    code: verificationCode(row.signed),
  };
}

/** Where the PDF of an issued report is downloaded. */
const reportPdfPath = (id: string) => `/api/v1/attest/reports/${id}/pdf`;

/** Answers a work-capacity report PDF as an attachment. */
function sendPdf(reply: FastifyReply, from: string, to: string, pdf: Buffer) {
  return reply
    .header('content-disposition', `attachment; filename="dystrack-work-capacity-${from}-to-${to}.pdf"`)
    .header('cache-control', 'no-store')
    .type('application/pdf')
    .send(pdf);
}

const shareLinkSchema = z.object({
  id: z.string(),
  reportId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  state: z.enum(['open', 'expired', 'revoked']),
});

/**
 * Signed work-capacity reports: the server's public key, the report PDF, the public verification, and
 * read-only share links for assessors.
 */
export async function attestRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  // the key pair is made when the server first starts, not when the first report is asked for
  await signingKeyFor(db);
  const perAddress = addressRateLimit(config);
  const base = (request: FastifyRequest) =>
    (config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');

  app.get(
    '/api/v1/attest/public-key',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['attest'],
        summary: "The server's Ed25519 report-signing public key",
        description:
          'For checking signed reports offline (`dystrack verify report.pdf --public-key key.pem`). The fingerprint is the ' +
          'SHA-256 of the 32 raw key bytes, as printed on every report.',
        response: {
          200: z.object({
            algorithm: z.literal('Ed25519'),
            publicKey: z.string().describe('the 32 raw bytes, base64url'),
            pem: z.string().describe('SubjectPublicKeyInfo, PEM'),
            fingerprint: z.string(),
            shortFingerprint: z.string(),
          }),
        },
      },
    },
    async () => {
      const key = await signingKeyFor(db);
      const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]);
      const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
      return {
        algorithm: 'Ed25519' as const,
        publicKey: toBase64Url(key.publicKey),
        pem,
        fingerprint: key.fingerprint,
        shortFingerprint: shortFingerprint(key.fingerprint),
      };
    },
  );

  app.post(
    '/api/v1/attest/reports',
    {
      config: { access: { action: 'report.attest', patient: 'subject' } },
      schema: {
        tags: ['attest'],
        summary: 'Issues a signed work-capacity report of a period',
        description:
          'For an employer, insurer or attorney: the occupation and its essential hand tasks from the profile; per measured ' +
          'task and hand whether it is measurably worse, how often, how severely, how variable, and how it changed over ' +
          'the period and with treatment, in plain language; every recording with how it was made (self-recorded at home ' +
          'or supervised in clinic); that effort is not verified; that it is not a diagnosis and not legal advice. The ' +
          "server signs (Ed25519) a manifest of the report's recordings (ids, content SHA-256, a hash chain, analysis " +
          'version, issue date), attaches it to the PDF, prints its verification code and keeps the PDF as issued. Each ' +
          'call issues a new report; `location` (and `pdf`) is where its PDF is downloaded.',
        body: reportPeriodSchema,
        response: {
          201: issuedReportSchema.extend({ pdf: z.string().describe('the address of the PDF') }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
        },
      },
    },
    async (request, reply) => {
      const user = request.user;
      if (!user || user.role !== 'patient') throw new CodedError('E_FORBIDDEN');
      const { from, to } = request.body;
      const issued = await issueWorkCapacityReport(
        db,
        subjectOf(request),
        { from, to },
        `${base(request)}/verify`,
      );
      request.auditAs('report.attest', `report:work-capacity:${issued.id}`);
      const pdf = reportPdfPath(issued.id);
      return reply
        .code(201)
        .header('location', pdf)
        .send({
          ...issuedReport(issued),
          pdf,
        });
    },
  );

  app.get(
    '/api/v1/attest/reports',
    {
      config: { access: { action: 'report.read', patient: 'subject' } },
      schema: {
        tags: ['attest'],
        summary: 'The signed work-capacity reports the patient has issued, newest first',
        response: {
          200: z.object({ reports: z.array(issuedReportSchema) }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async (request) => {
      const rows = await db
        .select({
          id: attestedReports.id,
          issuedAt: attestedReports.issuedAt,
          signed: attestedReports.signedManifest,
        })
        .from(attestedReports)
        .where(eq(attestedReports.patientId, subjectOf(request)))
        .orderBy(desc(attestedReports.issuedAt));
      return { reports: rows.map((row) => issuedReport({ ...row, signed: row.signed as SignedManifest })) };
    },
  );

  app.get(
    '/api/v1/attest/reports/:id/pdf',
    {
      config: { access: { action: 'report.read', patient: 'subject' } },
      schema: {
        tags: ['attest'],
        summary: 'The PDF of one issued work-capacity report, as it was issued',
        params: z.object({ id: z.uuid() }),
        response: {
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
          404: errorResponse('E_NOT_FOUND: no such report of this patient'),
        },
      },
    },
    async (request, reply) => {
      const [report] = await db
        .select({ from: attestedReports.periodFrom, to: attestedReports.periodTo, pdf: attestedReports.pdf })
        .from(attestedReports)
        .where(
          and(eq(attestedReports.patientId, subjectOf(request)), eq(attestedReports.id, request.params.id)),
        );
      if (!report) throw new CodedError('E_NOT_FOUND', 'There is no such report.');
      request.auditAs('report.read', `report:work-capacity:${request.params.id}`);
      return sendPdf(reply, report.from, report.to, Buffer.from(report.pdf));
    },
  );

  app.post(
    '/api/v1/attest/verify',
    {
      config: { access: { public: true }, rateLimit: perAddress },
      bodyLimit: Math.ceil((VERIFY_MAX_BYTES * 4) / 3) + 1024,
      schema: {
        tags: ['attest'],
        summary: 'Checks a signed report (public, no sign-in)',
        description:
          'Give the report PDF (base64) or its signed manifest. Answers, for the report and for each of its recordings, ' +
          '"matches", "altered", or "recording erased by its owner on <date>". It reveals nothing beyond what the report ' +
          'holds, except whether each recording is still held unchanged. Rate-limited per address.',
        body: z.union([
          z.strictObject({
            pdf: z
              .base64()
              .max(Math.ceil((VERIFY_MAX_BYTES * 4) / 3))
              .describe('the report PDF, base64'),
          }),
          z.strictObject({
            manifest: z.unknown().describe('the signed manifest (the JSON attached to the PDF)'),
          }),
        ]),
        response: {
          200: verificationSchema,
          400: errorResponse('E_VALIDATION: the file holds no signed manifest'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      let signed: unknown;
      try {
        signed =
          'pdf' in request.body
            ? readSignedManifest(Buffer.from(request.body.pdf, 'base64'))
            : request.body.manifest;
        const result = await verifyOnServer(db, signed);
        return present(signed as SignedManifest, result);
      } catch (error) {
        if (error instanceof ManifestNotFoundError || error instanceof z.ZodError)
          throw new CodedError(
            'E_VALIDATION',
            error instanceof ManifestNotFoundError
              ? `${error.message[0]!.toUpperCase()}${error.message.slice(1)}.`
              : 'This is not a Dystrack signed manifest.',
          );
        throw error;
      }
    },
  );

  app.post(
    '/api/v1/attest/share-links',
    {
      config: { access: { action: 'report.share', patient: 'subject' } },
      schema: {
        tags: ['attest'],
        summary: 'Makes a read-only link to one signed report, for an assessor',
        description:
          `The link shows the report's verification and lets its holder download that report's PDF, nothing else, until it ` +
          `expires (1 to ${SHARE_MAX_DAYS} days) or the patient revokes it. The token is in the URL's fragment and is shown once.`,
        body: z.strictObject({
          reportId: z.uuid(),
          days: z.number().int().min(1).max(SHARE_MAX_DAYS).default(14),
        }),
        response: {
          201: shareLinkSchema.extend({
            url: z
              .string()
              .describe('the link, with the verification page with `#share=<token>` after it; shown once'),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND: no such report of yours'),
        },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const created = await createShareLink(
        db,
        request.user!.id,
        request.body.reportId,
        request.body.days,
        now,
      );
      if (!created) throw new CodedError('E_NOT_FOUND');
      request.auditAs('report.share', `report-share:${created.id}`);
      return reply.code(201).send({
        id: created.id,
        reportId: request.body.reportId,
        createdAt: now.toISOString(),
        expiresAt: created.expiresAt.toISOString(),
        revokedAt: null,
        state: 'open' as const,
        url: `${base(request)}/verify#share=${created.token}`,
      });
    },
  );

  app.get(
    '/api/v1/attest/share-links',
    {
      config: { access: { action: 'report.share', patient: 'subject' } },
      schema: {
        tags: ['attest'],
        summary: "The patient's share links, newest first (without tokens)",
        response: {
          200: z.object({ links: z.array(shareLinkSchema) }),
          401: errorResponse('E_UNAUTHENTICATED'),
        },
      },
    },
    async (request) => {
      const now = new Date();
      const rows = await listShareLinks(db, subjectOf(request));
      return {
        links: rows.map((row) => ({
          id: row.id,
          reportId: row.reportId,
          createdAt: row.createdAt.toISOString(),
          expiresAt: row.expiresAt.toISOString(),
          revokedAt: row.revokedAt?.toISOString() ?? null,
          state: shareState(row, now),
        })),
      };
    },
  );

  app.delete(
    '/api/v1/attest/share-links/:id',
    {
      config: { access: { action: 'report.share', patient: 'subject' } },
      schema: {
        tags: ['attest'],
        summary: 'Revokes a share link now',
        params: z.object({ id: z.uuid() }),
        response: {
          204: z.null(),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      if (!(await revokeShareLink(db, request.user!.id, request.params.id, new Date())))
        throw new CodedError('E_NOT_FOUND');
      request.auditAs('report.share', `report-share:${request.params.id}`);
      return reply.code(204).send(null);
    },
  );

  /** The report of a share-link token, or a coded error that says why the link does not open. */
  async function shared(token: string) {
    const opened = await openShareLink(db, token, new Date());
    if (!opened.ok)
      throw new CodedError('E_TOKEN_INVALID', SHARE_REFUSALS[opened.reason](opened.at), {
        reason: opened.reason,
      });
    return opened.report;
  }

  const tokenBody = z.strictObject({ token: z.string().min(20).max(100) });

  app.post(
    '/api/v1/shared-reports/verification',
    {
      config: { access: { public: true }, rateLimit: perAddress },
      schema: {
        tags: ['attest'],
        summary: 'The verification of the report a share link opens (public, read-only)',
        description:
          'The token is the part of the share link after `#` (sent in the body so that it stays out of URLs and logs). ' +
          'Answers the same as the verification page does for the shared report; an expired or revoked link answers ' +
          '400 E_TOKEN_INVALID with `details.reason` `expired` or `revoked`.',
        body: tokenBody,
        response: {
          200: verificationSchema,
          400: errorResponse('E_TOKEN_INVALID, E_VALIDATION'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      const report = await shared(request.body.token);
      const signed = report.signedManifest as SignedManifest;
      return present(signed, await verifyOnServer(db, signed));
    },
  );

  app.post(
    '/api/v1/shared-reports/report.pdf',
    {
      config: { access: { public: true }, rateLimit: perAddress },
      schema: {
        tags: ['attest'],
        summary: 'The PDF of the report a share link opens, as it was issued (public, read-only)',
        body: tokenBody,
        response: {
          400: errorResponse('E_TOKEN_INVALID, E_VALIDATION'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const report = await shared(request.body.token);
      return sendPdf(reply, report.periodFrom, report.periodTo, Buffer.from(report.pdf));
    },
  );
}
