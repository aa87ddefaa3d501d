// The writer's canonical JSON is the reference's: for every JSON value (and the undefined members JSON leaves out),
// canonicalText gives exactly what the `canonicalize` package (RFC 8785) gives, and it refuses what that refuses.
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalText } from '../../src/audit-log/canonical';

const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** JSON values with every kind of string (escapes, astral letters) and number (negative zero, exponents), and undefined members. */
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(
    fc.string({ unit: 'binary' }).filter(wellFormed),
    fc.string({ unit: 'grapheme' }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  ),
  array: fc.array(fc.oneof(tie('any'), fc.constant(undefined)), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ unit: 'binary' }).filter(wellFormed), fc.oneof(tie('any'), fc.constant(undefined)), { maxKeys: 6 }),
}));

describe('the canonical JSON the audit log writes', () => {
  it('is byte for byte what canonicalize gives, for any JSON value', () => {
    fc.assert(fc.property(value.any, (v) => {
        expect(canonicalText(v)).toBe(canonicalize(v));
      }), { numRuns: 2000 });
  });

  it('is the same for many objects of one shape and of shapes it has not seen', () => {
    const shapes = fc.array(fc.dictionary(fc.constantFrom('b', 'a', 'verdict', 'at', '\u00e9', '\ud83d\ude00', 'Z', '1', '10'), fc.integer()), { minLength: 50, maxLength: 100 });
    fc.assert(fc.property(shapes, (objects) => {
          for (const o of objects) expect(canonicalText(o)).toBe(canonicalize(o));
        }));
  });

  it('refuses what RFC 8785 refuses: NaN, infinities, lone surrogates in values and keys', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '\ud800', { ['\udc00']: 1 }, [1, '\udfff']]) {
      expect(() => canonicalize(bad)).toThrow();
      expect(() => canonicalText(bad)).toThrow(TypeError);
    }
  });

  it('reads a Date through its toJSON, as canonicalize does', () => {
    const at = { at: new Date(Date.UTC(2025, 5, 1)) };
    expect(canonicalText(at)).toBe(canonicalize(at));
  });
});
