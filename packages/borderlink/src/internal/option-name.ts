// Unknown options are refused by name, so a typo says what to fix. But an object handed over by mistake (a lookup
// keyed by document number where the options go) has keys that are data: a key is echoed only when it has the shape
// of an option name (lower camel case, ASCII, short), which no document number, name or plate has.
const OPTION_SHAPED = /^[a-z][A-Za-z0-9]{0,39}$/;

/** `key` when it looks like an option name, else a description that repeats nothing of it. */
export function optionName(key: string): string {
  return OPTION_SHAPED.test(key) ? key : '(a key that is not an option name)';
}
