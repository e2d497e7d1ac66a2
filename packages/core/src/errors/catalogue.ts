/**
 * The one catalogue of coded errors. Every error a client, the CLI or a log can see has a stable
 * `E_…` code, an HTTP status and a default message. Servers answer `{ code, message, details }`.
 */
export const ERRORS = {
  E_INTERNAL: { status: 500, message: 'Something went wrong on the server. Nothing you sent was lost.' },
  E_BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  E_JSON_MALFORMED: { status: 400, message: 'The request body is not valid JSON.' },
  E_VALIDATION: { status: 400, message: 'The request does not match the expected format.' },
  E_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted here.' },
  E_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than any recording can be.' },
  E_BAD_CONTENT_ENCODING: { status: 400, message: 'The request body could not be decompressed.' },
  E_NOT_FOUND: { status: 404, message: 'Not found.' },
  E_ROUTE_NOT_FOUND: { status: 404, message: 'There is no such API route.' },
  E_METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed here.' },
  E_UNAUTHENTICATED: { status: 401, message: 'Please sign in.' },
  E_FORBIDDEN: { status: 403, message: 'You do not have access to this.' },
  E_CSRF: { status: 403, message: 'The request lacks a valid CSRF token. Reload the page and try again.' },
  E_RATE_LIMITED: { status: 429, message: 'Too many attempts. Please wait a moment and try again.' },
  E_CREDENTIALS: { status: 401, message: 'The user name or password is not correct.' },
  E_USERNAME_TAKEN: { status: 409, message: 'This user name is already taken.' },
  E_WEAK_PASSWORD: { status: 400, message: 'The password is too weak.' },
  E_TOKEN_INVALID: { status: 400, message: 'This link or code is not valid or has expired.' },
  E_NOT_APPROVED: {
    status: 403,
    message: 'An administrator has not approved this account for this role yet.',
  },
  E_PASSKEY: { status: 400, message: 'The passkey could not be verified.' },
  E_SCHEMA_VERSION: { status: 400, message: 'This recording schema version is not known to the server.' },
  E_RECORDING_INVALID: { status: 400, message: 'The recording does not match its schema.' },
  E_RECORDING_CONFLICT: {
    status: 409,
    message: 'A different recording with this id is already stored. Stored recordings are never changed.',
  },
  E_RECORDING_ERASED: { status: 410, message: 'This recording was erased by its owner.' },
  E_UNKNOWN_TASK: { status: 400, message: 'This task is not known.' },
  E_DATABASE_LOCKED: { status: 503, message: 'The database is in use by another process.' },
  E_CONFLICT: { status: 409, message: 'This conflicts with the current state.' },
  // analysis inputs (analysis contract): files given to `dystrack analyze`, recordings analysed by the server
  E_INPUT_PARSE: { status: 422, message: 'The input could not be read in the expected format.' },
  E_INPUT_COLUMNS: { status: 422, message: 'The input lacks a column that this task needs.' },
  E_INPUT_VALUE: {
    status: 422,
    message: 'The input holds a value that is not a finite number where one is needed.',
  },
  E_INPUT_TOO_LARGE: { status: 413, message: 'The input is larger than the configured limit.' },
  E_INPUT_EMPTY: { status: 422, message: 'The input holds no data rows.' },
  E_TOO_FEW_EVENTS: { status: 422, message: 'The input has too few events to analyse.' },
  E_NONMONOTONIC_TIME: { status: 422, message: 'Time goes backwards in the input.' },
  E_MIDI_MALFORMED: { status: 422, message: 'The MIDI file is truncated or malformed.' },
  E_TASK_MISMATCH: { status: 422, message: 'The recording is of another task.' },
  E_UNKNOWN_METRIC: { status: 400, message: "This metric is not in the task's catalogue." },
  E_INPUT_NOT_FOUND: { status: 404, message: 'The input file does not exist or cannot be read.' },
  E_OUTPUT_WRITE: { status: 500, message: 'The output file could not be written.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code of the catalogue. */
export type ErrorCode = keyof typeof ERRORS;

/** The body of every error response. `details` is JSON, never a stack trace. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An expected failure with a catalogue code; servers turn it into its HTTP status and body. */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.name = 'CodedError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Whether a string is a catalogue code. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}
