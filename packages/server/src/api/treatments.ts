import type { FastifyInstance } from 'fastify';
import { TREATMENT_TYPES, treatmentDataSchema, treatmentDate, treatmentInputSchema } from '@dystrack/core';
import { dateInstant, registerEntryRoutes } from './diary.js';
import type { ApiOptions } from './index.js';

/*
 * Treatments as the patient enters them (or copies them from a clinic letter): botulinum-toxin
 * injections, medications, therapies, task modifications and aids, surgery and deep-brain-stimulation
 * setting changes. Entries with history (diary.ts). The vocabulary and the schemas are core's
 * (entries/treatments.ts), shared with the web app's forms.
 */

/** Treatments: list, create, edit with history, delete. */
export async function treatmentRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  registerEntryRoutes(fastify, options, {
    kind: 'treatment',
    path: '/api/v1/treatments',
    tag: 'treatments',
    noun: 'treatment',
    auditPrefix: 'treatment',
    actions: { read: 'treatment.read', write: 'treatment.write' },
    input: treatmentInputSchema,
    // stored as validated: the output of the same schema (defaults filled in)
    data: treatmentDataSchema,
    inputDescription:
      'One treatment by `type`: `botulinum-toxin` (date, product, injections per muscle with side and units, ' +
      'guidance, side effects), `medication` (name, dose, schedule, start, stop), `therapy` and `task-modification` ' +
      '(kind, start, stop), `surgery` (date, procedure) or `dbs-settings` (date, settings as free text). Choosing ' +
      '"other" needs `otherText`. Dates are YYYY-MM-DD, not in the future.',
    prepare: (input) => ({ at: dateInstant(treatmentDate(input)), data: input }),
    filter: { field: 'type', values: TREATMENT_TYPES, description: 'only treatments of this type' },
  });
}
