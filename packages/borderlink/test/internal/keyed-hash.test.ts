// The audit hashes (subjects, odd gateway ids) are HMAC-SHA256 written out as two one-shot hashes: the same text as
// createHmac gives, for any key and any text, or a log hashed by one version would not correlate with the next.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { keyedHasher } from '../../src/internal/hash';

/** The reference: Node's HMAC, hex, its first 128 bits. */
const keyedHash = (key: Uint8Array, text: string): string => createHmac('sha256', key).update(text).digest('hex').slice(0, 32);

describe('keyedHasher', () => {
  it('gives what createHmac gives, for keys shorter and longer than a block and any text', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 200 }),
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 40 }),
            fc.string({ unit: 'grapheme', maxLength: 300 }),
            fc.string({ minLength: 200, maxLength: 2000, size: 'max' }),
            // Runs of 2-, 3- and 4-byte characters and lone surrogates, many more bytes than code units.
            fc
              .array(fc.constantFrom('a', '\u00e9', '\u20ac', '\ud83d\ude00', '\ud800', '\udfff'), { minLength: 60, maxLength: 300, size: 'max' })
              .map((chars) => chars.join('')),
          ),
          { maxLength: 8 },
        ),
        (key, texts) => {
          const hashed = keyedHasher(key);
          // Several texts under one hasher: a long one grows its buffer, a short one after it must not see its bytes.
          for (const text of texts) expect(hashed(text)).toBe(keyedHash(key, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is 128 bits in hex, and another key gives another hash', () => {
    const text = '{"documentNumber":"L898902C3","issuingState":"UTO","kind":"document"}';
    const a = keyedHasher(new Uint8Array(32).fill(1))(text);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(keyedHasher(new Uint8Array(32).fill(2))(text)).not.toBe(a);
  });
});
