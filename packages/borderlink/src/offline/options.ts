// The options of openOfflineStore, refused through the one option helper.
import { z } from 'zod';
import { optionError, parseOptions } from '../internal/options';

/** Bytes of each key: HMAC-SHA256 and AES-256-GCM both take 256-bit keys. */
export const KEY_BYTES = 32;

/**
 * Options of {@link openOfflineStore}.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { openOfflineStore } from 'borderlink/offline';
 *
 * const store = openOfflineStore({
 *   path: '/var/lib/border-lane/offline.db',
 *   hmacKey: readFileSync('/run/secrets/borderlink-hmac-key'),
 *   encryptionKey: readFileSync('/run/secrets/borderlink-encryption-key'),
 * });
 * ```
 */
export interface OfflineStoreOptions {
  /**
   * The SQLite file holding the copy, the re-screen queue and the outbox; created when missing (its folder must
   * exist). SQLite keeps two files beside it while it is open, `-wal` and `-shm`: keep the three together.
   * @example '/var/lib/border-lane/offline.db'
   */
  path: string;
  /**
   * The key of the keyed hashes (HMAC-SHA256) the copy is looked up by: 32 random bytes, kept secret, the same on
   * every open of the file. Without it, nobody holding the file can tell whether a document number is in it.
   */
  hmacKey: Uint8Array;
  /**
   * The key (AES-256-GCM) of what a hit shows, of the checks kept for re-screening and of the queued writes: 32
   * random bytes, other than `hmacKey`, kept secret, the same on every open of the file.
   */
  encryptionKey: Uint8Array;
}

const key = (name: string) =>
  z
    .custom<Uint8Array>((k) => k instanceof Uint8Array, {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a Uint8Array (a Buffer) of 32 random bytes'),
    })
    .refine(
    (k) => k.length === KEY_BYTES,
    { error: `must be ${KEY_BYTES} bytes (${name})` },
  );

const schema = z.strictObject({
  path: z
    .string()
    .refine((p) => p.trim() !== '', { error: 'must be a file path' })
    // An in-memory or temporary database would lose the queue and the outbox with the process.
    .refine((p) => p !== ':memory:' && !p.startsWith('file:'), { error: 'must be a file path (an in-memory or URI database is not durable)' }),
  hmacKey: key('an HMAC-SHA256 key'),
  encryptionKey: key('an AES-256 key'),
});

/** The checked options. @internal */
export function parseStoreOptions(options: unknown): OfflineStoreOptions {
  const parsed = parseOptions('openOfflineStore', schema, options);
  if (Buffer.from(parsed.hmacKey).equals(Buffer.from(parsed.encryptionKey))) {
    throw optionError('openOfflineStore', 'encryptionKey', 'must not be the same key as `hmacKey`');
  }
  return parsed;
}
