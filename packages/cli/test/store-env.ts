// Keys and files for the tests of the commands that open an offline store.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A pair of store keys as the environment gives them: the HMAC key in hex, the encryption key in base64. */
export function storeKeys(): { env: Record<string, string>; hmacKey: Buffer; encryptionKey: Buffer; written: string[] } {
  const hmacKey = randomBytes(32);
  const encryptionKey = randomBytes(32);
  const env = { BORDERLINK_STORE_HMAC_KEY: hmacKey.toString('hex'), BORDERLINK_STORE_ENCRYPTION_KEY: encryptionKey.toString('base64') };
  // Every way the keys could leak into output: as given, and in the other common writings.
  const written = [hmacKey, encryptionKey].flatMap((k) => [k.toString('hex'), k.toString('hex').toUpperCase(), k.toString('base64'), k.toString('base64url')]);
  return { env, hmacKey, encryptionKey, written };
}

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; path(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
