// The writer's canonical JSON is the reference's: for every JSON value (and the undefined members JSON leaves out),
// canonicalText gives exactly what the `canonicalize` package (RFC 8785) gives, and it refuses what that refuses.
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalText } from '../../src/internal/canonical';
import { canonicalJson, keyedHasher } from '../../src/internal/hash';

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

  it('leaves out a member whose value is undefined, even under a key it could not write', () => {
    for (const v of [{ a: 1, '\ud800': undefined }, { a: 1, '\udc00': Symbol('s') }, { '\ud800': undefined }]) expect(canonicalText(v)).toBe(canonicalize(v));
    // The shape, remembered, still refuses the key once a value of it is written.
    expect(() => canonicalText({ a: 1, '\ud800': 2 })).toThrow(TypeError);
    expect(() => canonicalText({ '\ud800': 2 })).toThrow(TypeError);
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

/** The text audit hashes were made of before canonicalJson used canonicalText: sorted keys, JSON.stringify's escapes. */
function earlierCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(earlierCanonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${earlierCanonicalJson(obj[k])}`).join(',')}}`;
}

describe('the canonical JSON of audit hashes (canonicalJson)', () => {
  /** Every kind of string, lone surrogates too, and NaN and the infinities, which RFC 8785 refuses. */
  const loose = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
    leaf: fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
    array: fc.array(tie('any'), { maxLength: 5 }),
    object: fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(tie('any'), fc.constant(undefined)), { maxKeys: 6 }),
  }));

  it('is the text it was before, for any JSON value (lone surrogates and NaN too), so the same subject keeps its hash', () => {
    fc.assert(fc.property(loose.any, (v) => {
        expect(canonicalJson(v)).toBe(earlierCanonicalJson(v));
      }), { numRuns: 2000 });
  });

  // Texts (and a hash) made by the release before this code, checked against it: an audit log written then correlates
  // with one written now, and a confirmation renewal's key (a SHA-256 of the context's text) stays the same across an
  // upgrade, so a renewal replayed after it is not a second request (rule 3).
  it('gives the texts and hashes earlier versions gave, for a context and a subject', () => {
    const context = { purpose: 'BORDER_CHECK', operatorId: 'officer-0042', authorityId: 'UTO-POLICE', locationId: 'ARN-T5-L07' };
    expect(canonicalJson(context)).toBe('{"authorityId":"UTO-POLICE","locationId":"ARN-T5-L07","operatorId":"officer-0042","purpose":"BORDER_CHECK"}');
    const subject = { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', nationality: 'SWE' };
    const text = canonicalJson(subject);
    expect(text).toBe('{"dateOfBirth":"1974-08-12","givenNames":["ANNA","MARIA"],"kind":"person","nationality":"SWE","surname":"ERIKSSON"}');
    expect(keyedHasher(Buffer.alloc(32, 3))(text)).toBe('93cc36b22cdc14a7e0b39ddb618b40b8');
  });

  it('is the RFC 8785 text of the subjects a client hashes', () => {
    const subject = { kind: 'document', issuingState: 'UTO', documentNumber: 'L898902C3', documentType: 'PASSPORT' };
    expect(canonicalJson(subject)).toBe(canonicalize(subject));
    expect(canonicalJson({ ...subject, documentNumber: 'A\ud800' })).toBe(earlierCanonicalJson({ ...subject, documentNumber: 'A\ud800' }));
  });
});
