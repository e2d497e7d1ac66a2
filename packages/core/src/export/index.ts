export * from './types.js';
export * from './ucum.js';
export * from './csv.js';
export * from './contract-csv.js';
export * from './metrics-csv.js';
export * from './fhir-bundle.js';
