// Keyed hashes of searched values: audit events and cache keys say *which* query without holding the query.
import { createHmac, randomBytes } from 'node:crypto';

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

/** HMAC-SHA256 of `text` under `key`, hex, truncated to 128 bits. */
export function keyedHash(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex').slice(0, 32);
}

/** A hash key from the integrator's option, or a random one that lives as long as the client. */
export function hashKeyFrom(option: string | Uint8Array | undefined): Uint8Array {
  if (option === undefined) return randomBytes(32);
  return typeof option === 'string' ? new TextEncoder().encode(option) : option;
}
