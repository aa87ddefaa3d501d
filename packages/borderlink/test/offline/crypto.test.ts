// The store's crypto parts against Node's own: the lookup HMAC computed from its definition equals createHmac under
// the same key, for every text; a sealed payload opens only under its key, domain and row key.
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiKeyHmac, StoreKeys } from '../../src/offline/crypto';

describe('the lookup HMAC', () => {
  it('is HMAC-SHA256 under its key, for any text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 200 }), (bytes, scope, text) => {
        const key = Buffer.from(bytes.map((b) => b & 0x7f));
        expect(new AsciiKeyHmac(key).digest(scope, text).equals(createHmac('sha256', key).update(`${scope}\u0000${text}`).digest())).toBe(true);
      }),
    );
  });

  it('refuses a key it cannot compute this way', () => {
    expect(() => new AsciiKeyHmac(Buffer.alloc(64, 0x80))).toThrow(RangeError);
    expect(() => new AsciiKeyHmac(Buffer.alloc(32, 1))).toThrow(RangeError);
  });

  it('depends on the store key and the scope', () => {
    const a = new StoreKeys(Buffer.alloc(32, 1), Buffer.alloc(32, 2));
    const b = new StoreKeys(Buffer.alloc(32, 3), Buffer.alloc(32, 2));
    expect(a.hash('SLTD', 'doc\u0000UTO\u0000X1')).toEqual(a.hash('SLTD', 'doc\u0000UTO\u0000X1'));
    expect(a.hash('SLTD', 'doc\u0000UTO\u0000X1')).not.toEqual(b.hash('SLTD', 'doc\u0000UTO\u0000X1'));
    expect(a.hash('SLTD', 'doc\u0000UTO\u0000X1')).not.toEqual(a.hash('TDAWN', 'doc\u0000UTO\u0000X1'));
    expect(a.hash('SLTD', 'x')).toHaveLength(16);
  });
});

describe('a sealed payload', () => {
  it('opens under its key, domain and row key only', () => {
    const keys = new StoreKeys(randomBytes(32), randomBytes(32));
    const other = new StoreKeys(randomBytes(32), randomBytes(32));
    const row = randomBytes(16);
    const sealed = keys.seal('record', row, 'L898902C3 Eriksson');
    expect(sealed.includes('L898902C3')).toBe(false);
    expect(keys.open('record', row, sealed)).toBe('L898902C3 Eriksson');
    expect(keys.open('outbox', row, sealed)).toBeUndefined();
    expect(keys.open('record', randomBytes(16), sealed)).toBeUndefined();
    expect(other.open('record', row, sealed)).toBeUndefined();
    const flipped = Buffer.from(sealed);
    flipped[20] = flipped[20]! ^ 1;
    expect(keys.open('record', row, flipped)).toBeUndefined();
    // Two seals of one text differ: each has its own IV.
    expect(keys.seal('record', row, 'same').equals(keys.seal('record', row, 'same'))).toBe(false);
  });
});
