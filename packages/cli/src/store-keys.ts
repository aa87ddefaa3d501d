// The offline store's two keys, from the environment: a variable holding the key, or one naming a file that holds it.
// Never a flag: a flag lands in shell history and in `ps` for every user of the machine. A message names the variable
// and never its value, nor the path it holds.
import { readFile, stat } from 'node:fs/promises';
import { UsageError } from './args';

/** Bytes of each key: HMAC-SHA256 and AES-256-GCM keys of 256 bits. */
const KEY_BYTES = 32;
/** Longer than any key file written as text; a bound on what is read. */
const MAX_KEY_FILE_BYTES = 4096;

/** Where each key comes from: the option of openOfflineStore, its variable, and the variable naming its file. */
export const STORE_KEYS = [
  { option: 'hmacKey', variable: 'BORDERLINK_STORE_HMAC_KEY', file: 'BORDERLINK_STORE_HMAC_KEY_FILE' },
  { option: 'encryptionKey', variable: 'BORDERLINK_STORE_ENCRYPTION_KEY', file: 'BORDERLINK_STORE_ENCRYPTION_KEY_FILE' },
] as const;

/** Every variable the keys are read from. */
export const STORE_KEY_VARIABLES: readonly string[] = STORE_KEYS.flatMap((k) => [k.variable, k.file]);

/** How a key is written down, for the messages. */
const KEY_FORMS = `${KEY_BYTES} bytes written as ${KEY_BYTES * 2} hex digits or in base64 (make one with: openssl rand -hex ${KEY_BYTES})`;

/**
 * A key written as text: 64 hex digits (either case), or base64 of 32 bytes in the standard or the URL-safe alphabet,
 * with or without its `=`. Whitespace around it is ignored. Anything else is no key (`undefined`): base64 is decoded
 * only when it is the canonical writing of 32 bytes, since Node's decoder would take nearly any text.
 */
export function keyOfText(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const urlSafe = /^[A-Za-z0-9_-]{43}=?$/.test(t);
  if (!urlSafe && !/^[A-Za-z0-9+/]{43}=?$/.test(t)) return undefined;
  const key = Buffer.from(t, urlSafe ? 'base64url' : 'base64');
  const canonical = key.toString(urlSafe ? 'base64url' : 'base64').replace(/=$/, '');
  return key.length === KEY_BYTES && canonical === t.replace(/=$/, '') ? key : undefined;
}

/** A key file: exactly 32 bytes are the key itself; otherwise its text, as {@link keyOfText} reads it. */
async function keyOfFile(path: string, variable: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_KEY_FILE_BYTES) throw new UsageError(`the file named by ${variable} must hold one key: ${KEY_FORMS}, or the ${KEY_BYTES} bytes themselves`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the file named by ${variable}`);
  }
  if (bytes.length === KEY_BYTES) return bytes;
  const key = keyOfText(bytes.toString('latin1'));
  if (key === undefined) throw new UsageError(`the file named by ${variable} must hold one key: ${KEY_FORMS}, or the ${KEY_BYTES} bytes themselves`);
  return key;
}

/** The store's keys, as openOfflineStore takes them. */
export interface StoreKeys {
  hmacKey: Buffer;
  encryptionKey: Buffer;
}

/**
 * Reads both keys from `env`.
 * @throws {UsageError} naming the variable that is missing, set twice over (the key and its file), malformed or
 * unreadable; never its value.
 */
export async function readStoreKeys(env: NodeJS.ProcessEnv): Promise<StoreKeys> {
  const keys: Partial<Record<(typeof STORE_KEYS)[number]['option'], Buffer>> = {};
  for (const { option, variable, file } of STORE_KEYS) {
    const text = env[variable];
    const path = env[file];
    if (text !== undefined && path !== undefined) throw new UsageError(`set ${variable} or ${file}, not both`);
    if (text === undefined && path === undefined) {
      throw new UsageError(`the offline store needs its keys from the environment: set ${variable} (the key) or ${file} (a file holding it); a key is never a flag`);
    }
    if (text !== undefined) {
      const key = keyOfText(text);
      if (key === undefined) throw new UsageError(`${variable} must be ${KEY_FORMS}`);
      keys[option] = key;
    } else {
      if (path === '') throw new UsageError(`${file} is empty: it must name a file holding the key`);
      keys[option] = await keyOfFile(path!, file);
    }
  }
  const { hmacKey, encryptionKey } = keys as StoreKeys;
  if (hmacKey.equals(encryptionKey)) throw new UsageError(`${STORE_KEYS[1].variable} must be another key than ${STORE_KEYS[0].variable}`);
  return { hmacKey, encryptionKey };
}
