// Flags through Node's own util.parseArgs (strict). Its messages can quote what was typed, and what was typed may be
// a document number or a name, so they are rewritten here to name the flag only.
import { parseArgs } from 'node:util';

/** A wrong command line: exit code 4, one line on stderr. The message never holds a value that was typed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string; default?: string | boolean | string[] | boolean[] }>;

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies OptionSpec;

/** A flag name is safe to echo when it looks like one; anything else might be a mistyped value. */
function flagName(text: string | undefined): string {
  return text !== undefined && /^--?[a-z][a-z0-9-]{0,30}$/i.test(text) ? ` ${text}` : '';
}

/**
 * Parses `args` against `options`, strictly: an unknown flag, a missing value or a value given to a boolean flag is a
 * {@link UsageError} naming the flag.
 */
export function parseFlags<const O extends OptionSpec>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      // What was typed is not echoed: a value typed where a flag goes (`--STORGAARD`) is still a value.
      const known = Object.keys(options).map((name) => `--${name}`).join(', ');
      throw new UsageError(`unknown option; this command takes ${known}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = flagName(/(--[a-z][a-z0-9-]*)/i.exec(message)?.[1]);
      if (message.includes('does not take an argument')) throw new UsageError(`option${name} takes no value`);
      throw new UsageError(`option${name} needs a value`);
    }
    throw new UsageError('the command line could not be read (see --help)');
  }
}

/** An integer flag within bounds, or a UsageError naming the flag (not the value). */
export function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}`);
  return n;
}

/** One of a fixed list of words, case-insensitively; a UsageError listing the choices otherwise. */
export function choiceFlag<const T extends string>(value: string | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  const found = choices.find((c) => c.toUpperCase() === upper);
  if (found === undefined) throw new UsageError(`${flag} must be one of ${choices.join(', ')}`);
  return found;
}

/** Refuses positional arguments beyond `max`, without quoting them. */
export function expectPositionals(positionals: string[], max: number, what: string): void {
  if (positionals.length > max) throw new UsageError(`too many arguments for ${what} (see --help)`);
}
