import type { Readable, Writable } from 'node:stream';

/** Everything a command touches outside itself, so that tests can run commands in-process. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  /** Passwords and `restore -` read from here. */
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  /** The signals that stop `serve` (default SIGINT and SIGTERM; tests pass none). */
  signals?: NodeJS.Signals[];
  /** Another way to stop `serve` (tests). */
  stopped?: Promise<string>;
}

/** The real process's streams, environment and signals. */
export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Writes text to a stream. */
export function print(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
