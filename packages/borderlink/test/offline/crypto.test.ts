// The store's crypto parts against Node's own: the lookup HMAC computed from its definition equals createHmac under
// the same key, for every text; a sealed payload opens only under its key, domain and row key; the rows of a staged
// batch are the hashes and seals made one by one.
import * as nodeCrypto from 'node:crypto';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASH_BYTES, StoreKeys, storeCrypto } from '../../src/offline/crypto';
import { offlineKeysOfSubject } from '../../src/stores/keys';
import { anyLine, expectRowsOf, staged } from './rows';

describe('the lookup HMAC', () => {
  it('is HMAC-SHA256 under its key, for any text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 200 }), (bytes, scope, text) => {
        const key = Buffer.from(bytes.map((b) => b & 0x7f));
        const expected = createHmac('sha256', key).update(`${scope}\u0000${text}`).digest().subarray(0, HASH_BYTES);
        expect(storeCrypto(nodeCrypto, key, randomBytes(32)).hash(scope, text).equals(expected)).toBe(true);
      }),
    );
  });

  // Values made by the release before this code (checked against it): a copy or an outbox written then is read by its
  // hashes. Another hash for the same key would be a NO_HIT from a copy that holds the document (rule 1), and a queued
  // report no longer found by its key (rule 3).
  it('gives the hashes earlier versions wrote, for a lookup key and an outbox key', () => {
    const keys = new StoreKeys(Buffer.alloc(32, 7), Buffer.alloc(32, 9));
    const [lookup] = offlineKeysOfSubject({ kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }, 'SLTD');
    expect(keys.hash('SLTD', lookup!).toString('hex')).toBe('82b412f55fa5d18c382e0841dfda8b7e');
    expect(keys.hash('outbox', 'report-0001').toString('hex')).toBe('a40fa68de332134f9381b2ccb7d423cc');
  });

  it('refuses a key it cannot compute this way', () => {
    expect(() => storeCrypto(nodeCrypto, Buffer.alloc(64, 0x80), randomBytes(32))).toThrow(RangeError);
    expect(() => storeCrypto(nodeCrypto, Buffer.alloc(32, 1), randomBytes(32))).toThrow(RangeError);
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

describe('the rows of a staged batch', () => {
  it('hold the hashes of each id and key and a seal of each payload that opens under its hashed id', () => {
    const keys = new StoreKeys(randomBytes(32), randomBytes(32));
    fc.assert(
      fc.property(fc.constantFrom('SLTD', 'SMV', 'ΣΚΟΠ'), fc.array(anyLine, { maxLength: 20 }), (scope, lines) => {
        expectRowsOf(keys, scope, lines, keys.sealRows(staged(scope, lines)));
      }),
      { numRuns: 100 },
    );
  });
});
