import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import { gatherReport } from '../reports/gather.js';
import { renderClinicianReport } from '../reports/render.js';
import type { ApiOptions } from './index.js';
import { subjectOf } from '../http/security.js';
import { errorResponse } from './session.js';

/** Longest period of one report. */
export const REPORT_MAX_YEARS = 5;

const DAY_MS = 86_400_000;

/** The period of a report: two dates, `from` not after `to`, at most five years apart. */
export const reportPeriodSchema = z
  .object({
    from: z.iso.date().describe('first day of the period, YYYY-MM-DD (UTC)'),
    to: z.iso.date().describe('last day of the period, YYYY-MM-DD (UTC), included'),
  })
  .superRefine((value, ctx) => {
    const days = (Date.parse(value.to) - Date.parse(value.from)) / DAY_MS;
    if (days < 0)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end of the period is before its start' });
    else if (days > REPORT_MAX_YEARS * 366)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `a report covers at most ${REPORT_MAX_YEARS} years`,
      });
  });

/** Answers a PDF as a download that no cache keeps. */
function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string) {
  return reply
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .type('application/pdf')
    .send(pdf);
}

/** `GET /api/v1/reports/clinician.pdf`: the signed-in patient's clinician report of a period. */
export async function reportRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options;
  app.get(
    '/api/v1/reports/clinician.pdf',
    {
      config: { access: { action: 'report.create', patient: 'subject' } },
      schema: {
        tags: ['reports'],
        summary: 'The clinician report of a period as a PDF',
        description:
          'Page 1 summarises the period for a neurologist or therapist: per task and hand the headline measure at ' +
          'baseline (the first sessions of the period) and now, whether the change is reliable (SDC95 from the ' +
          "person's own baseline, or a published limit), the treatments with toxin muscles, sides and doses, and the " +
          'questionnaire and scale totals with their dates. Then per task and hand a chart of each headline measure ' +
          'and the table of sessions. It compares measurements and does not diagnose. Answered as an attachment ' +
          '(`application/pdf`, fonts embedded).',
        querystring: reportPeriodSchema,
        response: {
          400: errorResponse(
            'E_VALIDATION: a date is missing or malformed, `from` is after `to`, or the period is longer than 5 years',
          ),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async (request, reply) => {
      const user = request.user;
      if (!user) throw new CodedError('E_UNAUTHENTICATED');
      const { from, to } = request.query;
      request.auditAs('report.create', `report:clinician:${from}..${to}`);
      const data = await gatherReport(db, subjectOf(request), { from, to });
      const pdf = await renderClinicianReport(data);
      return sendPdf(reply, pdf, `dystrack-clinician-report-${from}-to-${to}.pdf`);
    },
  );
}
