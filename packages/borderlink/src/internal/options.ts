// One way to refuse an option: a zod strict object per options type, and one message format for every refusal,
//
//   <scope>: option `<path>` <problem>        e.g. createClient: option `retry.backoff` is not known
//   <scope>: the options <problem>            when the options themselves are not an object
//
// The path is made of the schema's own keys; a key the caller gave is repeated only when it has the shape of an
// option name (see option-name.ts). No value is ever repeated: the problem is written by us, never zod's text about
// the input, and the zod error (which holds the input) is not kept as a cause.
import type { z } from 'zod';
import { ConfigError } from '../errors/index';
import { optionName } from './option-name';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** The option path as shown: keys the caller gave are shown only when they look like option names. */
function shownPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === 'number' ? String(segment) : optionName(String(segment)))).join('.');
}

/** The one message format of a refused option. @internal */
export function optionError(scope: string, path: string | readonly PropertyKey[], problem: string): ConfigError {
  const shown = typeof path === 'string' ? path : shownPath(path);
  return new ConfigError(shown === '' ? `${scope}: the options ${problem}` : `${scope}: option \`${shown}\` ${problem}`);
}

const ARTICLE: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  number: 'a finite number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean',
  function: 'a function',
  date: 'a Date',
};

/** Our wording for an issue the schema gave no message of its own: written from the issue's kind, never its input. */
function problemOf(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${ARTICLE[issue.expected] ?? 'of another type'}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' or ')}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? 'above' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'below' : 'at most'} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return 'is not known';
    default:
      return 'is not valid';
  }
}

/**
 * The issue to report: an unknown key first (a typo says what to fix before what its neighbours got wrong); inside a
 * union (`false` or an object), the issues inside the branch the value had the shape of.
 */
function firstIssue(issues: readonly Issue[]): { path: PropertyKey[]; problem: string } {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown !== undefined) return { path: [...unknown.path, unknown.keys[0] ?? ''], problem: 'is not known' };
  const issue = issues[0];
  if (issue === undefined) return { path: [], problem: 'are not valid' };
  if (issue.code === 'invalid_union') {
    const branch = issue.errors.find((e) => e.some((i) => i.code === 'unrecognized_keys' || i.path.length > 0));
    if (branch !== undefined) {
      const inner = firstIssue(branch);
      return { path: [...issue.path, ...inner.path], problem: inner.problem };
    }
  }
  return { path: issue.path, problem: issue.message };
}

/**
 * Checks options against a strict schema and gives its output.
 * @throws {ConfigError} in the one format above, for the first thing wrong (an unknown option first).
 * @internal
 */
export function parseOptions<S extends z.ZodType>(scope: string, schema: S, value: unknown): z.output<S> {
  // The per-parse error map words the issues a schema did not word itself (a schema's own `error` wins).
  const parsed = schema.safeParse(value, { error: problemOf });
  if (parsed.success) return parsed.data;
  const { path, problem } = firstIssue(parsed.error.issues);
  throw optionError(scope, path, problem);
}

/**
 * `over` laid over `base`, leaving out what `over` gives as `undefined`: an option given as `undefined` is an option
 * not given (the public option types say `?: T | undefined`, so a `process.env` value or an unset field can be passed
 * as it is), where a spread would put `undefined` over the default.
 * @internal
 */
export function overDefined<T extends object>(base: T, over: { readonly [K in keyof T]?: T[K] | undefined } | undefined): T {
  if (over === undefined) return { ...base };
  const out = { ...base };
  for (const key of Object.keys(over) as (keyof T)[]) {
    const value = over[key];
    if (value !== undefined) out[key] = value as T[keyof T];
  }
  return out;
}
