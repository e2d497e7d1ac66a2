/**
 * The newest recording schema version (`schemaVersion` of every new recording). A module of its own,
 * without the validators, so that capture code can stamp recordings without loading them.
 */
export const CURRENT_SCHEMA_VERSION = 1;
