// Options of this entry point are few and flat: an unknown one is refused in the library's one format
// (``<scope>: option `<name>` is not known``), without zod, so the tokenizer stays free of dependencies.
import { ConfigError } from 'borderlink';

// A key is repeated in a message only when it has the shape of an option name: a key could hold anything.
const OPTION_NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

/** Throws a ConfigError for options that are not an object, or that have a key not in `known`. @internal */
export function refuseUnknownOptions(scope: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ConfigError(`${scope}: the options must be an object`);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    throw new ConfigError(`${scope}: option \`${OPTION_NAME.test(key) ? key : '(a key)'}\` is not known`);
  }
}
