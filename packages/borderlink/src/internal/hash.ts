// Keyed hashes of searched values: audit events and cache keys say *which* query without holding the query.
import { hash, randomBytes } from 'node:crypto';
import { NotCanonicalJson, canonicalText } from './canonical';
import { optionError } from './options';

/**
 * JSON with sorted keys, so equal queries give equal text whatever the key order: for JSON data, its RFC 8785 text
 * ({@link canonicalText}). What that refuses (a lone surrogate, NaN) is written as JSON.stringify writes it (an
 * escape, `null`), keys still sorted: for JSON data, the text an audit hash was made of before this used
 * canonicalText, so hashes of the same subject stay the same. Only JSON data comes here (checked subjects and
 * contexts, parsed bodies); for what is not (a Date or another object with `toJSON`, a symbol, a sparse array) the
 * text is not promised to be the earlier one's.
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonicalText(value);
  } catch (err) {
    if (!(err instanceof NotCanonicalJson)) throw err;
    return looseCanonicalJson(value);
  }
}

function looseCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(looseCanonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${looseCanonicalJson(obj[k])}`).join(',')}}`;
}

/** HMAC-SHA256 of a text under one key, hex, truncated to 128 bits: made by {@link keyedHasher}. */
export type KeyedHasher = (text: string) => string;

/** SHA-256's block: an HMAC key is padded (or first hashed) to it. @unit bytes */
const BLOCK = 64;

/**
 * The {@link KeyedHasher} of `key`, made once per key: the HMAC of RFC 2104 written out as its two hashes,
 * H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ text)), each one `crypto.hash` call over a buffer kept with the key's pads in it. A
 * `createHmac` per call (an object set up over the key each time) was about 3 µs, most of an audit event's cost; the
 * two calls are under half of it. The same bytes as `createHmac` for any text (a lone surrogate is U+FFFD in both):
 * tested against it. The text's bytes are wiped from the buffer after each hash. (The offline store's lookup hash is
 * made the same way inside offline/crypto.ts, whose one function a worker thread runs as source text.)
 */
export function keyedHasher(key: Uint8Array): KeyedHasher {
  const k = key.length > BLOCK ? hash('sha256', key, 'buffer') : key;
  let message = Buffer.alloc(BLOCK + 256);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const b = k[i] ?? 0;
    message[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  return (text) => {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a pair, 4 bytes for two units).
    if (message.length < BLOCK + 3 * text.length) {
      const bigger = Buffer.alloc(BLOCK + 6 * text.length);
      message.copy(bigger, 0, 0, BLOCK);
      message = bigger;
    }
    const end = BLOCK + message.write(text, BLOCK, 'utf8');
    outer.write(hash('sha256', message.subarray(0, end), 'binary'), BLOCK, 'latin1');
    message.fill(0, BLOCK, end);
    return hash('sha256', outer, 'hex').slice(0, 32);
  };
}

/**
 * The secret for {@link memoryKey}: the key's bytes as hex, made once per client. A string, so the hash is one call
 * over one string, with no buffer made per call.
 */
export type MemoryKeySecret = string & { readonly memoryKeySecret: true };

/** The secret of {@link memoryKey} under `key`. */
export function memoryKeySecret(key: Uint8Array): MemoryKeySecret {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex') as MemoryKeySecret;
}

/**
 * SHA-256 of the secret followed by `text`, hex, truncated to 128 bits: the key of an in-memory map (the answer
 * cache), one `crypto.hash` call (a fresh HMAC per call was most of the cost of a cached check, bench/cache.ts).
 *
 * Why this is enough where an HMAC is not needed: the key is only compared for equality with other keys made in the
 * same process under the same secret, never sent, stored or used to prove anything. What it must give is (a) equal
 * texts give equal keys, which any hash does, and (b) the key reveals nothing about the text to someone without the
 * secret (a heap dump, a debug print of the map), including by search over likely document numbers: without the 256-bit
 * secret that search cannot recompute a single key, since SHA-256 is one-way and the secret is part of its input. The
 * weakness an HMAC closes, length extension, lets someone who holds one key forge the key of a longer text; that
 * only matters for authentication, and a forged key here would point at an entry nobody else can read either.
 * Audit hashes, which leave the process and which a reader may recompute under the same secret, stay HMAC
 * ({@link keyedHasher}).
 */
export function memoryKey(secret: MemoryKeySecret, text: string): string {
  return hash('sha256', secret + text).slice(0, 32);
}

/** The shortest hash key accepted: below it, anyone holding the audit log could recompute the hashes by search. */
export const MIN_HASH_KEY_BYTES = 16;

/**
 * A hash key from the integrator's option, or a random one that lives as long as the client.
 * @throws {ConfigError} for a key of fewer than {@link MIN_HASH_KEY_BYTES} bytes (an empty string included).
 */
export function hashKeyFrom(option: string | Uint8Array | undefined, name = 'privacy.hashKey'): Uint8Array {
  if (option === undefined) return randomBytes(32);
  const key = typeof option === 'string' ? new TextEncoder().encode(option) : Uint8Array.from(option);
  if (key.length < MIN_HASH_KEY_BYTES) {
    throw optionError('createClient', name, `must be at least ${MIN_HASH_KEY_BYTES} bytes (a random secret; 32 bytes is right)`);
  }
  return key;
}
