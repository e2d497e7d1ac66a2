import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed values of a command's options (single-valued options only). */
export type OptionValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string;
};

/**
 * Parses a command's arguments strictly (unknown options are usage errors), with `-h/--help` on every command.
 * @param args - the arguments after the command name
 * @param options - the command's options
 * @param command - the command name, for the pointer to its help
 * @param positionals - the names of the positional arguments the command takes (exactly these)
 */
export function parseCommand<O extends Options>(
  args: string[],
  options: O,
  command: string,
  positionals: string[] = [],
): { help: boolean; values: OptionValues<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals.length > 0,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, command);
  }
  const values = parsed.values as OptionValues<O>;
  if (parsed.values.help) return { help: true, values, positionals: parsed.positionals };
  if (parsed.positionals.length < positionals.length) {
    throw new UsageError(`missing ${positionals.slice(parsed.positionals.length).join(' ')}`, command);
  }
  if (parsed.positionals.length > positionals.length) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(parsed.positionals[positionals.length])}`,
      command,
    );
  }
  return { help: false, values, positionals: parsed.positionals };
}

/** A command of the CLI. */
export interface Command {
  name: string;
  /** One line for `dystrack --help`. */
  summary: string;
  /** The full help of `dystrack <name> --help`. */
  help: string;
  /** Runs the command; returns the exit code, throws UsageError or coded errors. */
  run(args: string[], io: Io): Promise<number>;
}
