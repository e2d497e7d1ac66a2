export * from './types.js';
export * from './definitions.js';
export * from './scoring.js';
export * from './clinician-scales.js';
export * from './safety.js';
export * from './fhir.js';
export * from './fhir-check.js';
export * from './summary.js';
