import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  CodedError,
  fromBase64Url,
  overallWords,
  shortFingerprint,
  verdictWords,
  verificationCode,
  verifyManifest,
  type RecordingVerdict,
  type SignedManifest,
  type VerificationResult,
} from '@dystrack/core';
import { ManifestNotFoundError, rawPublicKey, readSignedManifest, verifyEd25519 } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { print } from '../io.js';

/** Exit codes of `dystrack verify` beyond the usual 0, 1 and 2. */
export const EXIT_ALTERED = 3;
export const EXIT_ERASED = 4;

const HELP = `Usage: dystrack verify <report.pdf> (--public-key FILE | --server URL) [--json]

Checks a signed Dystrack work-capacity report: reads the signed manifest attached to the PDF (or a
manifest JSON file), checks the server's Ed25519 signature and the hash chain of its recordings, and
prints for each recording "matches", "altered" or "recording erased by its owner on <date>".

Options:
  --public-key FILE   check offline with the server's public key: a PEM file, or the JSON that
                      GET /api/v1/attest/public-key answers. Offline, the signature and the list of
                      recordings are checked; whether a recording was erased since cannot be known
  --server URL        ask that Dystrack server (its verification page's API), which also says
                      whether each recording is still held unchanged; the signature is checked
                      here as well, with the key the server publishes
  --json              print the result as JSON
  -h, --help          show this help

Exit codes: 0 matches, 3 altered (or signed by another key), 4 matches but recordings were erased
since, 1 the file or key could not be read or the server not reached, 2 wrong usage.`;

/** The 32 raw bytes of an Ed25519 public key given as PEM, the server's public-key JSON, or base64url. */
export function parsePublicKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const value = (JSON.parse(trimmed) as { publicKey?: unknown }).publicKey;
    if (typeof value !== 'string') throw new TypeError('the JSON has no "publicKey"');
    return parsePublicKey(value);
  }
  if (trimmed.startsWith('-----BEGIN')) {
    const key = createPublicKey(trimmed);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new TypeError(`the key is ${key.asymmetricKeyType}, not Ed25519`);
    return rawPublicKey(key);
  }
  const raw = fromBase64Url(trimmed);
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key has 32 bytes');
  return raw;
}

const STATUS_EXIT = { matches: EXIT_OK, altered: EXIT_ALTERED, erased: EXIT_ERASED } as const;

function describe(signed: SignedManifest, result: VerificationResult): string {
  const { manifest } = signed;
  const verdicts = new Map<string, RecordingVerdict>(result.recordings.map((r) => [r.id, r]));
  const lines = [
    `Report ${manifest.reportId}, issued ${manifest.issuedAt.slice(0, 16).replace('T', ' ')} UTC, period ` +
      `${manifest.period.from} to ${manifest.period.to}, analysis version ${manifest.analysisVersion}`,
    `Verification code ${verificationCode(signed)} (it must equal the code printed on the report)`,
    `Signature by key ${shortFingerprint(signed.keyFingerprint)}: ${result.signature}; chain of ` +
      `${manifest.recordings.length} recording${manifest.recordings.length === 1 ? '' : 's'} ` +
      `${result.chain.intact ? 'intact' : `broken at entry ${result.chain.firstBroken + 1}`}`,
    '',
    ...manifest.recordings.map((r) => {
      const made = r.provenance === 'self' ? 'self-recorded at home' : 'supervised in clinic';
      return `  ${r.startedAt.slice(0, 16).replace('T', ' ')}  ${`${r.taskId}, ${r.hand}`.padEnd(18)} ${made.padEnd(22)} ${verdictWords(verdicts.get(r.id)!)}`;
    }),
    '',
    `${result.overall.toUpperCase()}: ${overallWords(result)}`,
  ];
  return lines.join('\n');
}

/**
 * A JSON request to the server. `session.csrf` keeps the CSRF cookie the server issues with any answer,
 * sent back as cookie and header on the POST (double submit).
 */
async function fetchJson(
  session: { csrf: string | null },
  url: string,
  init?: RequestInit,
): Promise<unknown> {
  let response: Response;
  try {
    const headers = new Headers(init?.headers);
    if (session.csrf) {
      headers.set('cookie', `dystrack_csrf=${session.csrf}`);
      headers.set('x-csrf-token', session.csrf);
    }
    response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
    const issued = /(?:^|,\s*)dystrack_csrf=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
    if (issued) session.csrf = issued[1]!;
  } catch (error) {
    throw new CodedError(
      'E_INPUT_NOT_FOUND',
      `the server ${url} could not be reached: ${(error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => null)) as { message?: string } | null;
  if (!response.ok)
    throw new CodedError(
      'E_INPUT_PARSE',
      `the server answered ${response.status}: ${body?.message ?? 'no message'}`,
    );
  return body;
}

/** `dystrack verify <report.pdf>`: checks a signed report offline or with its server. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a signed work-capacity report (offline or with its server)',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(
      args,
      { 'public-key': { type: 'string' }, server: { type: 'string' }, json: { type: 'boolean' } },
      'verify',
      ['report'],
    );
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const keyFile = parsed.values['public-key'];
    const server = parsed.values.server?.replace(/\/+$/, '');
    if (!keyFile === !server) throw new UsageError('give either --public-key FILE or --server URL', 'verify');
    const path = parsed.positionals[0]!;
    let file: Buffer;
    try {
      file = await readFile(path);
    } catch (error) {
      throw new CodedError('E_INPUT_NOT_FOUND', `${path}: ${(error as Error).message}`);
    }
    let signed: SignedManifest;
    try {
      signed = readSignedManifest(file);
    } catch (error) {
      if (error instanceof ManifestNotFoundError)
        throw new CodedError('E_INPUT_PARSE', `${path}: ${error.message}`);
      throw error;
    }

    const session: { csrf: string | null } = { csrf: null };
    let publicKey: Uint8Array;
    try {
      publicKey = keyFile
        ? parsePublicKey(await readFile(keyFile, 'utf8'))
        : parsePublicKey(JSON.stringify(await fetchJson(session, `${server}/api/v1/attest/public-key`)));
    } catch (error) {
      if (error instanceof CodedError) throw error;
      throw new CodedError('E_INPUT_PARSE', `the public key could not be read: ${(error as Error).message}`);
    }
    let result = verifyManifest(signed, publicKey, verifyEd25519);
    if (server && result.overall === 'matches') {
      // the server adds what cannot be known offline: whether each recording is still held unchanged
      const online = (await fetchJson(session, `${server}/api/v1/attest/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ manifest: signed }),
      })) as { recordings: { id: string; status: RecordingVerdict['status']; erasedAt: string | null }[] };
      const states = new Map(
        online.recordings.map((r) => {
          const entry = signed.manifest.recordings.find((e) => e.id === r.id);
          const state =
            r.status === 'missing' || !entry
              ? null
              : { sha256: r.status === 'altered' ? '' : entry.sha256, erasedAt: r.erasedAt };
          return [r.id, state] as const;
        }),
      );
      result = verifyManifest(signed, publicKey, verifyEd25519, states);
    }
    print(
      io.stdout,
      parsed.values.json
        ? JSON.stringify({ ...result, code: verificationCode(signed) }, null, 2)
        : describe(signed, result),
    );
    return STATUS_EXIT[result.overall];
  },
};
