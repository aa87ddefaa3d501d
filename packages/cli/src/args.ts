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

/**
 * What of a typed argument may be printed as a flag's name: the part before `=`, when it has the shape of the
 * command's own flags (lower-case letters and hyphens, at most 40 after the dashes). Documents, names and MRZ lines
 * are written in capitals and digits at a border, so a value typed where a flag goes (`--STORGAARD`, `--P<UTO…`,
 * `-L898902C3`) never has that shape; a value that does (a lower-case word) says no more than a flag would.
 */
const FLAG_SHAPE = /^--?[a-z][a-z-]{0,39}$/;

/** The flag name in `typed` that may be printed, or undefined when it may be a value (see {@link FLAG_SHAPE}). */
export function shownFlag(typed: string | undefined): string | undefined {
  if (typed === undefined) return undefined;
  const name = typed.split('=', 1)[0]!;
  return FLAG_SHAPE.test(name) ? name : undefined;
}

/** Edit distance, bounded: anything past `max` is `max + 1`. Flag names are short, so the table is small. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return Math.min(previous[b.length]!, max + 1);
}

/**
 * The name of `known` that a mistyped `name` (a flag, its dashes included, or a command) is nearest to: the one it
 * starts, or one or two letters off; none when two tie.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const bare = name.replace(/^-+/, '');
  if (bare.length < 2) return undefined;
  const prefixed = known.filter((k) => k.startsWith(bare));
  if (prefixed.length === 1) return prefixed[0];
  const max = bare.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (const k of known) {
    const d = distance(bare, k, max);
    if (d < bestDistance) [best, bestDistance, tie] = [k, d, false];
    else if (d === bestDistance) tie = true;
  }
  return bestDistance <= max && !tie ? best : undefined;
}

/** The first argument of `args` that is no flag of `options`, as typed. */
function unknownArgument(args: string[], options: OptionSpec): string | undefined {
  try {
    const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
    const token = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name));
    return token === undefined ? undefined : args[token.index];
  } catch {
    return undefined;
  }
}

/** The flags of every command (commands.ts registers them): a typed flag that is one of them is no value. */
const EVERY_FLAG = new Set<string>();

/** Registers the flags of the command's commands, for the refusal of a flag given to the wrong one. */
export function registerFlags(options: readonly OptionSpec[]): void {
  for (const spec of options) for (const name of Object.keys(spec)) EVERY_FLAG.add(name);
}

/** The refusal of an unknown flag: named when it may be printed, with the flag it is near, else the flags there are. */
function unknownFlagError(typed: string | undefined, options: OptionSpec): UsageError {
  const known = Object.keys(options);
  const takes = `this command takes ${known.map((name) => `--${name}`).join(', ')}`;
  const shaped = shownFlag(typed);
  // The shape alone lets a lower-case word through (a name or a document typed where a flag goes: `--anna`): a flag is
  // named only when it is near one of this command's or is another command's, which says no more than the help does.
  const near = shaped === undefined ? undefined : nearestName(shaped, known);
  const name = shaped !== undefined && (near !== undefined || EVERY_FLAG.has(shaped.replace(/^-+/, ''))) ? shaped : undefined;
  if (name === undefined) {
    return new UsageError(`an unknown option (not shown: it may hold a value; a value that starts with - goes as --flag=VALUE); ${takes}`);
  }
  return new UsageError(near !== undefined ? `unknown option ${name} (did you mean --${near}?)` : `unknown option ${name}; ${takes}`);
}

/**
 * Parses `args` against `options`, strictly: an unknown flag, a missing value or a value given to a boolean flag is a
 * {@link UsageError} naming the flag (an unknown one by the rule of {@link shownFlag}).
 */
export function parseFlags<const O extends OptionSpec>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw unknownFlagError(unknownArgument(args, options), options);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // The flag Node names here is one of `options`: ours, so safe to print; the value it may quote is not.
      const named = /(--[a-z][a-z0-9-]*)/i.exec(message)?.[1];
      const name = named !== undefined && Object.hasOwn(options, named.slice(2)) ? ` ${named}` : '';
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
