// Keyed hashes of searched values: audit events and cache keys say *which* query without holding the query.
import { createHmac, createSecretKey, hash, randomBytes, type KeyObject } from 'node:crypto';
import { optionError } from './options';

/** JSON with sorted keys, so equal queries give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * HMAC-SHA256 of `text` under `key`, hex, truncated to 128 bits. On a hot path give it the key as a KeyObject
 * ({@link hashKeyObject}): importing raw key bytes again on every call was about half the cost of a hash.
 */
export function keyedHash(key: Uint8Array | KeyObject, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex').slice(0, 32);
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
 * ({@link keyedHash}).
 */
export function memoryKey(secret: MemoryKeySecret, text: string): string {
  return hash('sha256', secret + text).slice(0, 32);
}

/** The key as a KeyObject, made once and reused for every hash under it. */
export function hashKeyObject(key: Uint8Array): KeyObject {
  return createSecretKey(key);
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
