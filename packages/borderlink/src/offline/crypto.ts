// What the store keeps at rest instead of personal data: keyed hashes to find things by, and sealed payloads to show
// once found. Both keys come from the integrator; without them the file says nothing a reader could use.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hash, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Bytes of a keyed hash as stored: 128 bits of HMAC-SHA256. A collision between two lookup keys costs a decrypt (the
 * record read back is checked against the key asked for); between two record ids of one source it would merge them,
 * and at 2^-128 per pair that is not a risk a copy of millions of records runs.
 */
export const HASH_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Random IVs drawn at once: one `randomFillSync` per this many seals instead of one per seal (a third of its cost). */
const IV_POOL = 1024;

/** Domain of a sealed payload: which table it belongs to, so a payload copied to another table does not open. */
export type SealDomain = 'record' | 'rescreen' | 'outbox' | 'meta';
const DOMAIN_BYTE: Readonly<Record<SealDomain, number>> = { record: 1, rescreen: 2, outbox: 3, meta: 4 };

/** SHA-256's block: an HMAC key of this length is used as it is. */
const BLOCK_BYTES = 64;

/**
 * HMAC-SHA256 (RFC 2104) under a key of one block whose bytes are all below 0x80, computed as the two hashes of its
 * definition, H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), with Node's one-shot `hash`. Such a key xored with ipad is a string
 * of code points below 0x80, whose UTF-8 bytes are the bytes themselves, so the inner hash is one call over one
 * string. The lookup path pays a keyed hash per lookup: `createHmac` cost about 2 µs of object set-up each time, a
 * third more than these two calls, on a lookup whose SQLite part costs about 2.5 µs. A test checks it against
 * `createHmac` under the same key.
 * @internal
 */
export class AsciiKeyHmac {
  readonly #inner: string;
  readonly #outer = Buffer.alloc(BLOCK_BYTES + 32);

  constructor(key: Uint8Array) {
    if (key.length !== BLOCK_BYTES || key.some((b) => b >= 0x80)) throw new RangeError('the key is one block of bytes below 0x80');
    this.#inner = String.fromCharCode(...key.map((b) => b ^ 0x36));
    for (let i = 0; i < BLOCK_BYTES; i++) this.#outer[i] = key[i]! ^ 0x5c;
  }

  /** The MAC of `scope` NUL `text` (one message, written as two parts to spare a concatenation). */
  digest(scope: string, text: string): Buffer {
    this.#outer.write(hash('sha256', `${this.#inner}${scope}\u0000${text}`), BLOCK_BYTES, 'hex');
    return hash('sha256', this.#outer, 'buffer');
  }
}

/**
 * The key of the lookup hashes, derived from the integrator's `hmacKey` (HMAC-SHA256 of two labels, 512 bits, each
 * byte's top bit cleared: 448 bits of key).
 */
function lookupKey(hmacKey: KeyObject): Buffer {
  const expand = (label: string) => createHmac('sha256', hmacKey).update(`borderlink offline lookup key ${label}`).digest();
  const key = Buffer.concat([expand('1'), expand('2')]);
  for (let i = 0; i < key.length; i++) key[i] = key[i]! & 0x7f;
  return key;
}

/** The two keys of a store, imported once. @internal */
export class StoreKeys {
  readonly #hmac: KeyObject;
  readonly #lookup: AsciiKeyHmac;
  readonly #aes: KeyObject;
  readonly #ivs = Buffer.allocUnsafe(IV_BYTES * IV_POOL);
  #ivNext = IV_POOL;
  /** The additional data of the seal being made or opened: OpenSSL has taken it once `setAAD` returns. */
  #aad = Buffer.allocUnsafe(1 + 64);

  constructor(hmacKey: Uint8Array, encryptionKey: Uint8Array) {
    this.#hmac = createSecretKey(Uint8Array.from(hmacKey));
    this.#aes = createSecretKey(Uint8Array.from(encryptionKey));
    this.#lookup = new AsciiKeyHmac(lookupKey(this.#hmac));
  }

  /**
   * The keyed hash of `text` within `scope` (a source, or a queue's name): HMAC-SHA256, under the lookup key derived
   * from `hmacKey`, of scope NUL text, its first 128 bits.
   */
  hash(scope: string, text: string): Buffer {
    return this.#lookup.digest(scope, text).subarray(0, HASH_BYTES);
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
    if (this.#ivNext === IV_POOL) {
      randomFillSync(this.#ivs);
      this.#ivNext = 0;
    }
    const iv = this.#ivs.subarray(this.#ivNext * IV_BYTES, (this.#ivNext + 1) * IV_BYTES);
    this.#ivNext += 1;
    const cipher = createCipheriv('aes-256-gcm', this.#aes, iv);
    cipher.setAAD(this.#additionalData(domain, rowKey));
    const body = cipher.update(plaintext, 'utf8');
    const last = cipher.final();
    return Buffer.concat([iv, body, last, cipher.getAuthTag()]);
  }

  #additionalData(domain: SealDomain, rowKey: Uint8Array): Buffer {
    if (this.#aad.length < 1 + rowKey.length) this.#aad = Buffer.allocUnsafe(1 + rowKey.length);
    this.#aad[0] = DOMAIN_BYTE[domain];
    this.#aad.set(rowKey, 1);
    return this.#aad.subarray(0, 1 + rowKey.length);
  }

  /** The plaintext of a sealed payload; `undefined` when it does not open under this key, domain and row key. */
  open(domain: SealDomain, rowKey: Uint8Array, sealed: Uint8Array): string | undefined {
    if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#aes, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(this.#additionalData(domain, rowKey));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const body = decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES));
      // Throws when the tag does not match. Decoded once, after: two decodes and a join cost a fifth of an open.
      decipher.final();
      return body.toString('utf8');
    } catch {
      return undefined;
    }
  }
}


/** Constant-time equality of two byte strings of any length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
