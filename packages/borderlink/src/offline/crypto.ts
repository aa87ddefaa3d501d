// What the store keeps at rest instead of personal data: keyed hashes to find things by, and sealed payloads to show
// once found. Both keys come from the integrator; without them the file says nothing a reader could use.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

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

/** The two keys of a store, imported once. @internal */
export class StoreKeys {
  readonly #hmac: KeyObject;
  readonly #aes: KeyObject;
  readonly #ivs = Buffer.allocUnsafe(IV_BYTES * IV_POOL);
  #ivNext = IV_POOL;
  /** The additional data of the seal being made or opened: OpenSSL has taken it once `setAAD` returns. */
  #aad = Buffer.allocUnsafe(1 + 64);

  constructor(hmacKey: Uint8Array, encryptionKey: Uint8Array) {
    this.#hmac = createSecretKey(Uint8Array.from(hmacKey));
    this.#aes = createSecretKey(Uint8Array.from(encryptionKey));
  }

  /** The keyed hash of `text` within `scope` (a source, or a queue's name): HMAC-SHA256(hmacKey, scope NUL text). */
  hash(scope: string, text: string): Buffer {
    return createHmac('sha256', this.#hmac).update(`${scope}\u0000${text}`).digest().subarray(0, HASH_BYTES);
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
      const text = decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES), undefined, 'utf8');
      return text + decipher.final('utf8');
    } catch {
      return undefined;
    }
  }
}


/** Constant-time equality of two byte strings of any length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
