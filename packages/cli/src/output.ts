// What leaves the command. Gateway text is untrusted: a field holding terminal escape codes could repaint an officer's
// screen (a green NO_HIT over a HIT), and bidi overrides could reorder what they read. Every value the command prints,
// human or JSON, goes through terminalSafe() first; only then does the command add its own colour codes.
import type { Paint } from './terminal';

/**
 * What is removed from every printed string: the C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F: escape
 * sequences, line breaks that would fake a line of output, the 8-bit CSI U+009B) and the bidi controls (U+061C,
 * U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorder the text around them. JSON.stringify would escape the
 * C0 ones but pass C1 and bidi controls through, and a JSON reader gets them all back.
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/gu;

/** The string without the characters in {@link UNSAFE}. */
export function stripUnsafe(text: string): string {
  return text.replace(UNSAFE, '');
}

/** What a POSIX shell reads as itself, unquoted. */
const SHELL_SAFE = /^[A-Za-z0-9._:/@%+=,-]+$/;

/**
 * `text` as one word a POSIX shell reads back as `text`, for a command line the officer is told to run: an id from the
 * gateway may be any printable ASCII (protocol v1), so `$(…)`, backquotes, `;` or `|` in it would run a command once
 * pasted. Single-quoted unless it is plainly safe; stripped of what {@link stripUnsafe} removes first.
 */
export function shellWord(text: string): string {
  const safe = stripUnsafe(text);
  return SHELL_SAFE.test(safe) ? safe : `'${safe.replace(/'/g, "'\\''")}'`;
}

/**
 * A copy of `value` with every string in it (object keys included, at any depth) stripped of control and bidi
 * characters. Numbers, booleans, null and undefined are kept; an object with `toJSON` is copied as what that returns;
 * the copy holds plain objects and arrays only.
 */
export function terminalSafe<T>(value: T): T {
  return copy(value, 0) as T;
}

// Deeper than any result; a guard against a cycle, which no result has.
const MAX_DEPTH = 64;

function copy(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return stripUnsafe(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return null;
  // As JSON.stringify would: a Date (or an error with toJSON) is copied as what it prints.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return copy(toJSON.call(value), depth + 1);
  if (Array.isArray(value)) return value.map((v) => copy(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[stripUnsafe(key)] = copy(v, depth + 1);
  return out;
}

/** One JSON line of output: sanitised, and marked `"gateway": "demo"` when the answer came from the demo gateway. */
export function jsonLine(value: object, demo: boolean): string {
  return JSON.stringify(terminalSafe(demo ? { gateway: 'demo', ...value } : value));
}

/** What starts every line of human output that holds a demo answer. */
export const DEMO_PREFIX = 'DEMO │';

/**
 * Human output, ready to print: with `demo`, each line starts with {@link DEMO_PREFIX}, so no line of a demo answer
 * (a screenshot, a copied line, a log tail) can pass for a real check. The text must already be made of
 * {@link terminalSafe} values and the command's own colour codes.
 */
export function humanText(text: string, demo: boolean, paint: Paint): string {
  if (!demo) return text;
  const prefix = paint.yellow(DEMO_PREFIX);
  return text
    .split('\n')
    .map((line) => (line === '' ? prefix : `${prefix} ${line}`))
    .join('\n');
}

/** Output the command could not write (a full disk, a closed pipe): exit 6, with this message. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}
