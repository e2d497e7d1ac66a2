/**
 * The version of the analysis as a whole (semver). Every output object carries it as
 * `analysis_version`; each metric also has its own algorithm version in the catalogue. Bump the minor
 * version when a metric is added, the major version when a published metric's meaning or algorithm
 * changes (analysis contract).
 */
export const ANALYSIS_VERSION = '1.4.1';
