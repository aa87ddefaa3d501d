// RFC 8785 canonical JSON, on two hot paths: the audit log's lines (audit-log/record.ts) and the keyed hashes of an
// audit event's subjects (hash.ts, canonicalJson). The log's verifier checks every line with the `canonicalize`
// package itself; this gives byte for byte the same text (test/internal/canonical.test.ts holds the two together
// over arbitrary JSON), but about five times faster: `canonicalize` sorts every object's keys and quotes every string
// with its own JSON.stringify call, which was most of the cost of an audited check (bench/audit.ts). Here an object's
// keys are sorted and quoted once per shape (the client's events and subjects come in a handful of shapes), and a
// string with nothing to escape is quoted as it is.

/** Thrown for a value JSON cannot hold as RFC 8785 asks: NaN, Infinity, a lone surrogate, a function, a cycle. */
export class NotCanonicalJson extends TypeError {}

/** Strings with nothing JSON must escape and no surrogate at all (a surrogate pair is checked by isWellFormed). */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
/** Deeper than any audit event: a cycle, or something that is not one. */
const MAX_DEPTH = 32;
/** Shapes remembered: key lists in the order an object has them, sorted, and each sorted key quoted with its colon. */
const SHAPES = 64;

interface Shape {
  keys: string[];
  sorted: string[];
  /**
   * `"key":` for each of `sorted`: a key is quoted once per shape, not once per object. Undefined for a key that
   * cannot be (a lone surrogate): refused only when a value of it is written, since a member that is undefined is left
   * out, key and all.
   */
  named: (string | undefined)[];
}

const shapes: Shape[] = [];

function shapeOf(keys: string[]): Shape {
  for (let i = 0; i < shapes.length; i++) {
    const shape = shapes[i]!;
    const known = shape.keys;
    if (known.length !== keys.length) continue;
    let same = true;
    for (let k = 0; k < keys.length; k++) {
      if (known[k] !== keys[k]) {
        same = false;
        break;
      }
    }
    if (same) return shape;
  }
  // Code-unit order, as RFC 8785 asks (Array#sort's default compares UTF-16 code units).
  const sorted = [...keys].sort();
  const shape = { keys, sorted, named: sorted.map((key) => (wellFormed(key) ? `${quote(key)}:` : undefined)) };
  if (shapes.length >= SHAPES) shapes.pop();
  shapes.unshift(shape);
  return shape;
}

const wellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function quote(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  if (!wellFormed(text)) throw new NotCanonicalJson('a lone surrogate');
  return JSON.stringify(text);
}

/**
 * The RFC 8785 canonical text of `value`: what `canonicalize(value)` gives, for every value it accepts.
 * @throws {NotCanonicalJson} for a value it refuses.
 */
export function canonicalText(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalJson('not a finite number');
      // ECMAScript's Number to String is RFC 8785's number form (and JSON.stringify's); -0 gives "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > MAX_DEPTH) throw new NotCanonicalJson('too deep');
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return canonicalText((toJSON as () => unknown).call(value), depth + 1);
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          out += item === undefined || typeof item === 'symbol' ? 'null' : canonicalText(item, depth + 1);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      const { sorted, named } = shapeOf(Object.keys(record));
      for (let k = 0; k < sorted.length; k++) {
        const item = record[sorted[k]!];
        if (item === undefined || typeof item === 'symbol') continue;
        const name = named[k];
        if (name === undefined) throw new NotCanonicalJson('a lone surrogate');
        if (!first) out += ',';
        first = false;
        out += name + canonicalText(item, depth + 1);
      }
      return `${out}}`;
    }
    default:
      throw new NotCanonicalJson(`a ${typeof value}`);
  }
}
