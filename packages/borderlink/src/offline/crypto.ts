// What the store keeps at rest instead of personal data: keyed hashes to find things by, and sealed payloads to show
// once found. Both keys come from the integrator; without them the file says nothing a reader could use.
//
// The hashing and sealing is one function of `node:crypto` and the two keys, {@link storeCrypto}, that refers to
// nothing outside itself: this thread runs it, and the sealing worker of a large snapshot (sealer.ts) runs its source
// text, so what the worker writes is made by the very code that reads it back here.
import * as nodeCrypto from 'node:crypto';
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Bytes of a keyed hash as stored: 128 bits of HMAC-SHA256. A collision between two lookup keys costs a decrypt (the
 * record read back is checked against the key asked for); between two record ids of one source it would merge them,
 * and at 2^-128 per pair that is not a risk a copy of millions of records runs.
 */
export const HASH_BYTES = 16;

/** Domain of a sealed payload: which table it belongs to, so a payload copied to another table does not open. */
export type SealDomain = 'record' | 'rescreen' | 'outbox' | 'meta';
const DOMAIN_BYTE: Readonly<Record<SealDomain, number>> = { record: 1, rescreen: 2, outbox: 3, meta: 4 };

/**
 * Staged lines of one source, as {@link StoreCrypto.sealRows} takes them: the UTF-8 of each line's texts end to end in
 * `text` (the text its record id is hashed from, its lookup keys, and for an upsert its record's JSON to seal), where
 * each text ends (`ends`), and each line's shape: its number of lookup keys (bits 0 to 6), and bit 7 when it is an
 * upsert. Bytes only, so it crosses to a worker thread as one copy of each array.
 * @internal
 */
export interface StagedLines {
  scope: string;
  text: Uint8Array;
  ends: Uint32Array;
  shape: Uint8Array;
}

/** {@link StagedLines.shape}'s bit of an upsert (a line with a payload). @internal */
export const UPSERT_BIT = 0x80;

/**
 * What {@link StoreCrypto.sealRows} made of {@link StagedLines}: the rows end to end in `bytes` (each its hashed id,
 * its hashed lookup keys, its sealed payload), and for row `i`, `ends[3i]`, `ends[3i + 1]` and `ends[3i + 2]`, where
 * each of the three ends. A delete's payload is empty (a sealed one never is).
 * @internal
 */
export interface SealedRows {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** The store's hashing and sealing, made by {@link storeCrypto}. @internal */
export interface StoreCrypto {
  /** The first {@link HASH_BYTES} of HMAC-SHA256 (under the lookup key) of `scope` NUL `text`. */
  hash(scope: string, text: string): Buffer;
  /** AES-256-GCM of `plaintext` under a random 96-bit IV: `iv ‖ ciphertext ‖ tag`, the additional data `domain ‖ rowKey`. */
  seal(domain: number, rowKey: Uint8Array, plaintext: string): Buffer;
  /** The plaintext of a sealed payload; `undefined` when it does not open under this key, domain and row key. */
  open(domain: number, rowKey: Uint8Array, sealed: Uint8Array): string | undefined;
  /** The rows of staged lines: ids and keys hashed, payloads sealed as records bound to their hashed id. */
  sealRows(lines: StagedLines): SealedRows;
}

/**
 * The store's keyed hashing and sealing. It refers to nothing outside itself (the sealing worker runs its source
 * text): its constants are written out here (a test holds the rows it makes to what {@link StoreKeys} opens).
 *
 * The lookup HMAC is HMAC-SHA256 (RFC 2104) under a key of one block whose bytes are all below 0x80, computed as the
 * two hashes of its definition, H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), with Node's one-shot `hash`. Such a key xored with
 * ipad is a string of code points below 0x80, whose UTF-8 bytes are the bytes themselves, so the inner hash is one
 * call over one string. The lookup path pays a keyed hash per lookup: `createHmac` cost about 2 µs of object set-up
 * each time, a third more than these two calls, on a lookup whose SQLite part costs about 2.5 µs. A test checks it
 * against `createHmac` under the same key.
 *
 * A seal draws its IV from a pool of random bytes filled 1024 IVs at a time (one `randomFillSync` per 1024 seals
 * instead of one per seal: a third of a seal's cost), each IV used once.
 * @throws {RangeError} when `lookupKey` is not one block of bytes below 0x80, or `encryptionKey` not 32 bytes.
 * @internal
 */
export function storeCrypto(crypto: typeof nodeCrypto, lookupKey: Uint8Array, encryptionKey: Uint8Array): StoreCrypto {
  const HASH = 16;
  const IV = 12;
  const TAG = 16;
  const BLOCK = 64;
  const POOL = 1024;
  const RECORD_DOMAIN = 1;
  if (lookupKey.length !== BLOCK || lookupKey.some((b) => b >= 0x80)) throw new RangeError('the lookup key is one block of bytes below 0x80');
  if (encryptionKey.length !== 32) throw new RangeError('the encryption key is 32 bytes');
  const inner = String.fromCharCode(...lookupKey.map((b) => b ^ 0x36));
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) outer[i] = lookupKey[i]! ^ 0x5c;
  const aes = crypto.createSecretKey(Uint8Array.from(encryptionKey));
  const ivs = Buffer.allocUnsafe(IV * POOL);
  let ivNext = POOL;
  // The additional data of the seal being made or opened: OpenSSL has taken it once `setAAD` returns.
  let aad = Buffer.allocUnsafe(1 + 64);

  /**
   * The HMAC of scope NUL text (one message, written as two parts to spare a concatenation), its first HASH bytes as a
   * latin1 string. Both hashes give their digest as such a string, one character per byte, never as a Buffer: a
   * Buffer made for each digest cost about as much as the hash itself (a miss's lookup ran 16-23% faster without).
   */
  const digest = (scope: string, text: string): string => {
    outer.write(crypto.hash('sha256', `${inner}${scope}\u0000${text}`, 'binary'), BLOCK, 'latin1');
    return crypto.hash('sha256', outer, 'binary').slice(0, HASH);
  };
  // The same HMAC over bytes: K ⊕ ipad, then scope NUL, then the text's bytes copied after them, hashed as one.
  let message = Buffer.allocUnsafe(BLOCK + 1024);
  for (let i = 0; i < BLOCK; i++) message[i] = lookupKey[i]! ^ 0x36;
  let messageScope: string | undefined;
  let textAt = BLOCK;
  const messageRoom = (bytes: number): void => {
    if (message.length >= bytes) return;
    const bigger = Buffer.allocUnsafe(2 * bytes);
    message.copy(bigger, 0, 0, textAt);
    message = bigger;
  };
  const digestBytes = (scope: string, text: Buffer, from: number, to: number): string => {
    if (scope !== messageScope) {
      const head = Buffer.from(`${scope}\u0000`, 'utf8');
      messageRoom(BLOCK + head.length);
      head.copy(message, BLOCK);
      messageScope = scope;
      textAt = BLOCK + head.length;
    }
    messageRoom(textAt + to - from);
    text.copy(message, textAt, from, to);
    outer.write(crypto.hash('sha256', message.subarray(0, textAt + to - from), 'binary'), BLOCK, 'latin1');
    return crypto.hash('sha256', outer, 'binary').slice(0, HASH);
  };
  const nextIv = (): Buffer => {
    if (ivNext === POOL) {
      crypto.randomFillSync(ivs);
      ivNext = 0;
    }
    const iv = ivs.subarray(ivNext * IV, (ivNext + 1) * IV);
    ivNext += 1;
    return iv;
  };
  const additionalData = (domain: number, rowKey: Uint8Array): Buffer => {
    if (aad.length < 1 + rowKey.length) aad = Buffer.allocUnsafe(1 + rowKey.length);
    aad[0] = domain;
    aad.set(rowKey, 1);
    return aad.subarray(0, 1 + rowKey.length);
  };

  return {
    hash: (scope, text) => Buffer.from(digest(scope, text), 'latin1'),

    seal(domain, rowKey, plaintext) {
      const iv = nextIv();
      const cipher = crypto.createCipheriv('aes-256-gcm', aes, iv);
      cipher.setAAD(additionalData(domain, rowKey));
      const body = cipher.update(plaintext, 'utf8');
      const last = cipher.final();
      return Buffer.concat([iv, body, last, cipher.getAuthTag()]);
    },

    open(domain, rowKey, sealed) {
      if (sealed.length < IV + TAG) return undefined;
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', aes, bytes.subarray(0, IV));
        decipher.setAAD(additionalData(domain, rowKey));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
        const body = decipher.update(bytes.subarray(IV, bytes.length - TAG));
        // Throws when the tag does not match. Decoded once, after: two decodes and a join cost a fifth of an open.
        decipher.final();
        return body.toString('utf8');
      } catch {
        return undefined;
      }
    },

    sealRows({ scope, text, ends, shape }) {
      const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
      // Room for every row at once (its own memory, so it can be handed to another thread without a copy).
      let room = 0;
      let field = 0;
      for (let i = 0; i < shape.length; i++) {
        const keys = shape[i]! & 0x7f;
        room += HASH * (1 + keys);
        field += 1 + keys;
        if ((shape[i]! & 0x80) !== 0) {
          room += IV + ends[field]! - ends[field - 1]! + TAG;
          field += 1;
        }
      }
      const out = Buffer.allocUnsafeSlow(Math.max(room, 1));
      const rowEnds = new Uint32Array(3 * shape.length);
      let at = 0;
      let from = 0;
      field = 0;
      for (let i = 0; i < shape.length; i++) {
        const rid = at;
        out.write(digestBytes(scope, bytes, from, (from = ends[field++]!)), at, 'latin1');
        at += HASH;
        rowEnds[3 * i] = at;
        for (let k = shape[i]! & 0x7f; k > 0; k--) {
          out.write(digestBytes(scope, bytes, from, (from = ends[field++]!)), at, 'latin1');
          at += HASH;
        }
        rowEnds[3 * i + 1] = at;
        if ((shape[i]! & 0x80) !== 0) {
          const to = ends[field++]!;
          const iv = nextIv();
          iv.copy(out, at);
          const cipher = crypto.createCipheriv('aes-256-gcm', aes, iv);
          cipher.setAAD(additionalData(RECORD_DOMAIN, out.subarray(rid, rid + HASH)));
          // GCM's ciphertext is as long as its plaintext; `final` adds nothing to it.
          cipher.update(bytes.subarray(from, to)).copy(out, at + IV);
          cipher.final();
          cipher.getAuthTag().copy(out, at + IV + to - from);
          at += IV + to - from + TAG;
          from = to;
        }
        rowEnds[3 * i + 2] = at;
      }
      return { bytes: out, ends: rowEnds };
    },
  };
}

/**
 * The key of the lookup hashes, derived from the integrator's `hmacKey` (HMAC-SHA256 of two labels, 512 bits, each
 * byte's top bit cleared: 448 bits of key).
 */
function lookupKeyOf(hmacKey: KeyObject): Buffer {
  const expand = (label: string) => createHmac('sha256', hmacKey).update(`borderlink offline lookup key ${label}`).digest();
  const key = Buffer.concat([expand('1'), expand('2')]);
  for (let i = 0; i < key.length; i++) key[i] = key[i]! & 0x7f;
  return key;
}

/** The two keys of a store, imported once. @internal */
export class StoreKeys {
  readonly #hmac: KeyObject;
  readonly #crypto: StoreCrypto;
  /** What a sealing worker needs to make the rows this thread's {@link StoreKeys.sealRows} makes. */
  readonly workerKeys: { readonly lookupKey: Uint8Array; readonly encryptionKey: Uint8Array };

  constructor(hmacKey: Uint8Array, encryptionKey: Uint8Array) {
    this.#hmac = createSecretKey(Uint8Array.from(hmacKey));
    const lookupKey = lookupKeyOf(this.#hmac);
    this.workerKeys = Object.freeze({ lookupKey, encryptionKey: Uint8Array.from(encryptionKey) });
    this.#crypto = storeCrypto(nodeCrypto, lookupKey, encryptionKey);
  }

  /**
   * The keyed hash of `text` within `scope` (a source, or a queue's name): HMAC-SHA256, under the lookup key derived
   * from `hmacKey`, of scope NUL text, its first 128 bits.
   */
  hash(scope: string, text: string): Buffer {
    return this.#crypto.hash(scope, text);
  }

  /** A full-length HMAC, for the key check. */
  mac(text: string): Buffer {
    return createHmac('sha256', this.#hmac).update(text).digest();
  }

  /**
   * AES-256-GCM under a random 96-bit IV: `iv ‖ ciphertext ‖ tag`. The additional data binds the payload to its
   * domain and its row key, so a payload moved to another row or table fails to open rather than answering for it.
   */
  seal(domain: SealDomain, rowKey: Uint8Array, plaintext: string): Buffer {
    return this.#crypto.seal(DOMAIN_BYTE[domain], rowKey, plaintext);
  }

  /** The plaintext of a sealed payload; `undefined` when it does not open under this key, domain and row key. */
  open(domain: SealDomain, rowKey: Uint8Array, sealed: Uint8Array): string | undefined {
    return this.#crypto.open(DOMAIN_BYTE[domain], rowKey, sealed);
  }

  /** The rows of staged lines, made in this thread: see {@link StoreCrypto.sealRows}. */
  sealRows(lines: StagedLines): SealedRows {
    return this.#crypto.sealRows(lines);
  }
}

/** Constant-time equality of two byte strings of any length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
