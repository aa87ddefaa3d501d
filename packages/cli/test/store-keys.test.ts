// The store's keys come from the environment only, named by variable and never echoed: a missing, malformed or doubly
// set key is a usage error naming its variable; a key that does not open the store is the store's own error, in one
// line; no key value ever reaches the output.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { keyOfText } from '../src/store-keys';
import { runCli, type CliResult } from './run';
import { storeKeys, tempDir } from './store-env';

const tmp = tempDir('borderlink-cli-keys-');
afterAll(() => tmp.remove());
const STOLEN = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];

/** One line on stderr, exit 4, naming `named` and holding none of `secret`. */
function expectRefused(result: CliResult, named: string, secret: string[]): void {
  expect(result.code, result.stderr).toBe(4);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain(named);
  for (const s of secret) expect(result.stderr).not.toContain(s);
}

/** A demo store made with `keys`, for the commands that need an existing file. */
async function madeStore(keys: ReturnType<typeof storeKeys>, name: string): Promise<string> {
  const path = tmp.path(name);
  const made = await runCli(['sync', '--store', path, '--sources', 'SLTD'], { env: keys.env });
  expect(made.code, made.stderr).toBe(0);
  return path;
}

describe('a key written as text', () => {
  it('reads 32 bytes from 64 hex digits, base64 or base64url, with or without padding and around whitespace', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('', ' ', '\n', '\r\n'), (bytes, space) => {
        const key = Buffer.from(bytes);
        for (const text of [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64').replace(/=$/, ''), key.toString('base64url')]) {
          expect(keyOfText(`${space}${text}${space}`)?.equals(key)).toBe(true);
        }
      }),
    );
  });

  it('refuses anything that is not exactly 32 bytes in one of those writings', () => {
    const key = randomBytes(32);
    for (const text of [
      '',
      key.toString('hex').slice(1),
      randomBytes(31).toString('hex'),
      randomBytes(33).toString('hex'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      `${key.toString('base64').slice(0, 42)}B=`, // not the canonical writing of any 32 bytes
      'L898902C3',
      key.toString('latin1'),
    ]) {
      expect(keyOfText(text)).toBeUndefined();
    }
  });
});

describe.concurrent('the store keys from the environment', () => {
  it('refuses a missing key by the names of its variables (exit 4)', async () => {
    const keys = storeKeys();
    const result = await runCli(['sync', '--store', tmp.path('missing.db')], { env: { BORDERLINK_STORE_HMAC_KEY: keys.env.BORDERLINK_STORE_HMAC_KEY! } });
    expectRefused(result, 'set BORDERLINK_STORE_ENCRYPTION_KEY (the key) or BORDERLINK_STORE_ENCRYPTION_KEY_FILE (a file holding it)', keys.written);
  });

  it('refuses a malformed key by its variable, never echoing its value', async () => {
    const keys = storeKeys();
    const planted = ['L898902C3ERIKSSON', randomBytes(31).toString('hex'), `${randomBytes(33).toString('base64')}`, 'ERIKSSON ANNA MARIA'];
    for (const value of planted) {
      const result = await runCli(['sync', '--store', tmp.path('malformed.db')], { env: { ...keys.env, BORDERLINK_STORE_ENCRYPTION_KEY: value } });
      expectRefused(result, 'BORDERLINK_STORE_ENCRYPTION_KEY must be 32 bytes written as 64 hex digits or in base64', [value, ...keys.written]);
    }
  });

  it('refuses a key given both as a value and as a file, and the same key for both', async () => {
    const keys = storeKeys();
    const file = tmp.path('hmac.key');
    writeFileSync(file, keys.env.BORDERLINK_STORE_HMAC_KEY!);
    const both = await runCli(['sync', '--store', tmp.path('both.db')], { env: { ...keys.env, BORDERLINK_STORE_HMAC_KEY_FILE: file } });
    expectRefused(both, 'set BORDERLINK_STORE_HMAC_KEY or BORDERLINK_STORE_HMAC_KEY_FILE, not both', keys.written);
    const same = await runCli(['sync', '--store', tmp.path('same.db')], {
      env: { BORDERLINK_STORE_HMAC_KEY: keys.env.BORDERLINK_STORE_HMAC_KEY!, BORDERLINK_STORE_ENCRYPTION_KEY: keys.hmacKey.toString('base64') },
    });
    expectRefused(same, 'BORDERLINK_STORE_ENCRYPTION_KEY must be another key than BORDERLINK_STORE_HMAC_KEY', keys.written);
  });

  it('reads the keys from files, as text or as the 32 bytes, and names the variable (not the path) of a file it cannot read', async () => {
    const keys = storeKeys();
    const hex = tmp.path('hmac.hex');
    const raw = tmp.path('encryption.bin');
    writeFileSync(hex, `${keys.hmacKey.toString('hex')}\n`);
    writeFileSync(raw, keys.encryptionKey);
    const fromFiles = { BORDERLINK_STORE_HMAC_KEY_FILE: hex, BORDERLINK_STORE_ENCRYPTION_KEY_FILE: raw };
    const path = tmp.path('files.db');
    const synced = await runCli(['sync', '--store', path, '--sources', 'SLTD'], { env: fromFiles });
    expect(synced.code, synced.stderr).toBe(0);
    // The same keys as values open the same store.
    expect((await runCli(['store', 'check', '--store', path], { env: keys.env })).code).toBe(0);

    const secretPath = tmp.path('L898902C3-nothing-here.key');
    const unreadable = await runCli(['store', 'check', '--store', path], { env: { ...fromFiles, BORDERLINK_STORE_HMAC_KEY_FILE: secretPath } });
    expectRefused(unreadable, 'cannot read the file named by BORDERLINK_STORE_HMAC_KEY_FILE', [secretPath, 'L898902C3', ...keys.written]);
    const junk = tmp.path('junk.key');
    writeFileSync(junk, 'ERIKSSON\n');
    const malformed = await runCli(['store', 'check', '--store', path], { env: { ...fromFiles, BORDERLINK_STORE_HMAC_KEY_FILE: junk } });
    expectRefused(malformed, 'the file named by BORDERLINK_STORE_HMAC_KEY_FILE must hold one key', ['ERIKSSON', junk, ...keys.written]);
  });

  it('opens no store with other keys: the store says so in one line, and no key is printed', async () => {
    const keys = storeKeys();
    const path = await madeStore(keys, 'wrong.db');
    const other = storeKeys();
    for (const command of [['store', 'inventory', '--store', path], ['outbox', 'list', '--store', path], [...STOLEN, '--offline-store', path]]) {
      const wrong = await runCli(command, { env: { ...keys.env, BORDERLINK_STORE_HMAC_KEY: other.env.BORDERLINK_STORE_HMAC_KEY! } });
      expectRefused(wrong, 'the keys do not match this store (INVALID_CONFIG)', [...keys.written, ...other.written]);
      const wrongSeal = await runCli(command, { env: { ...keys.env, BORDERLINK_STORE_ENCRYPTION_KEY: other.env.BORDERLINK_STORE_ENCRYPTION_KEY! } });
      expectRefused(wrongSeal, 'the keys do not match this store (INVALID_CONFIG)', [...keys.written, ...other.written]);
    }
  });

  it('takes no key from a flag', async () => {
    const keys = storeKeys();
    const value = keys.env.BORDERLINK_STORE_HMAC_KEY!;
    const result = await runCli(['sync', '--store', tmp.path('flag.db'), '--hmac-key', value], { env: keys.env });
    expectRefused(result, 'unknown option', keys.written);
  });

  it('prints no key in any output of the store commands', async () => {
    const keys = storeKeys();
    const path = await madeStore(keys, 'quiet.db');
    for (const command of [
      ['store', 'inventory', '--store', path],
      ['store', 'inventory', '--store', path, '--json'],
      ['store', 'check', '--store', path, '--json'],
      ['outbox', 'list', '--store', path],
      ['sync', '--store', path, '--json', '--debug'],
      [...STOLEN, '--offline-store', path, '--offline-mode', 'first', '--json'],
    ]) {
      const result = await runCli(command, { env: keys.env });
      for (const k of keys.written) expect(result.stdout + result.stderr).not.toContain(k);
    }
  });

  it('lets the demo gateway answer when only the store keys are set, but not when a BORDERLINK_STORE_ variable is misspelt', async () => {
    const keys = storeKeys();
    const demo = await runCli(STOLEN, { env: keys.env });
    expect(demo.code).toBe(1);
    expect(demo.stdout).toContain('DEMO GATEWAY');
    const typo = await runCli(STOLEN, { env: { ...keys.env, BORDERLINK_STORE_HMAC_KY: keys.env.BORDERLINK_STORE_HMAC_KEY! } });
    expectRefused(typo, 'BORDERLINK_STORE_HMAC_KY', keys.written);
  });
});
