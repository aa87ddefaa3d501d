// `borderlink audit verify`: an intact log exits 0, a broken one 5 with where it breaks (file, line, byte) and why,
// never what the line says; a log cut off by a killed writer verifies up to where it stops, and says so.
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditLog } from 'borderlink/audit';
import { runCli } from './run';
import { tempDir } from './store-env';

const tmp = tempDir('borderlink-cli-audit-');
afterAll(() => tmp.remove());

const PLANTED = 'ERIKSSON-L898902C3';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyFile = tmp.path('audit-key.pub.pem');
writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));

/** A closed log of `n` events in a folder of its own; its file. */
async function log(name: string, n: number): Promise<{ dir: string; file: string }> {
  const dir = tmp.path(name);
  const audit = openAuditLog({ dir, checkpoint: { privateKey, everyEvents: 5 } });
  for (let i = 0; i < n; i++) {
    audit.append({
      at: '2025-06-01T10:00:00.000Z',
      requestId: `request-${i}`,
      action: 'CHECK',
      authorityId: 'UTO-BORDER-POLICE',
      operatorId: PLANTED,
      purpose: 'BORDER_CHECK',
      subjects: [],
      outcome: 'OK',
      hitIds: [],
      durationMs: 3,
      attempts: 1,
    });
  }
  await audit.close();
  const file = readdirSync(dir).find((f) => f.endsWith('.jsonl'))!;
  return { dir, file: join(dir, file) };
}

describe.concurrent('borderlink audit verify', () => {
  it('says an intact log is intact, its checkpoints verified, and exits 0', async () => {
    const { dir, file } = await log('intact', 12);
    const result = await runCli(['audit', 'verify', dir, '--public-key', publicKeyFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^INTACT: 17 records in 1 file, 3 checkpoints verified\n/);
    expect(result.stdout).toContain(`last record 16 at ${file} line 17`);
    expect(result.stdout + result.stderr).not.toContain(PLANTED);
  });

  it('finds one byte changed and exits 5, with the line and byte and never the line', async () => {
    const { dir, file } = await log('changed', 12);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = lines[4]!.replace('request-3', 'request-8');
    writeFileSync(file, lines.join('\n'));
    const result = await runCli(['audit', 'verify', file, '--public-key', publicKeyFile]);
    expect(result.code).toBe(5);
    const offset = Buffer.byteLength(lines.slice(0, 4).map((l) => `${l}\n`).join(''));
    expect(result.stdout).toContain(`BROKEN at ${file} line 5 (byte ${offset}): changed`);
    expect(result.stdout).toContain('before it: 4 records in 1 file');
    expect(result.stdout).not.toContain(PLANTED);
    expect(result.stdout).not.toContain('request-8');

    const json = await runCli(['audit', 'verify', dir, '--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, broken: { file, line: 5, offset, reason: 'changed' } });
  });

  it('verifies a log cut off mid-line up to its last complete line, and says where it stops', async () => {
    const { dir, file } = await log('cut', 7);
    const size = readFileSync(file).length;
    appendFileSync(file, '{"at":"2025-06-01T10:00:00.000Z","event":{"acti');
    const result = await runCli(['audit', 'verify', dir, '--public-key', publicKeyFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`the log stops at ${file} line 12 (byte ${size}): a line cut off`);
  });

  it('says what rests on the chain alone, and finds a log cut short before a checkpoint kept elsewhere (--checkpoints)', async () => {
    const dir = tmp.path('kept');
    const kept: string[] = [];
    const audit = openAuditLog({ dir, checkpoint: { privateKey, everyEvents: 5 }, onNotice: (n) => void (n.type === 'checkpoint' && kept.push(JSON.stringify(n))) });
    for (let i = 0; i < 12; i++) audit.append({ at: '2025-06-01T10:00:00.000Z', requestId: `r-${i}`, action: 'CHECK', authorityId: 'A', operatorId: PLANTED, purpose: 'BORDER_CHECK', subjects: [], outcome: 'OK', hitIds: [], durationMs: 1, attempts: 1 });
    await audit.close();
    const keptFile = tmp.path('kept-checkpoints.jsonl');
    writeFileSync(keptFile, `${kept.join('\n')}\n`);
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
    const lines = readFileSync(file, 'utf8').split('\n');
    // The end cut away, from just after the first checkpoint, and one more record: it rests on the chain alone.
    writeFileSync(file, lines.slice(0, 7).map((l) => `${l}\n`).join(''));
    const alone = await runCli(['audit', 'verify', dir, '--public-key', publicKeyFile]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('1 record after the last checkpoint rest on the chain alone');
    const result = await runCli(['audit', 'verify', dir, '--public-key', publicKeyFile, '--checkpoints', keptFile]);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain(`BROKEN at ${file} line 7`);
    expect(result.stdout).toContain('checkpoint-not-found');
    expect(result.stdout).toContain('1 kept checkpoint found');
    expect(result.stdout).not.toContain(PLANTED);
  });

  it('prints nothing of a forged record: a time that holds a terminal escape is not a record', async () => {
    const dir = tmp.path('forged');
    mkdirSync(dir);
    const open = JSON.stringify({ at: '\u001b]0;ERIKSSON\u0007', prev: '0'.repeat(64), seq: 0, type: 'open', writer: 'x' });
    writeFileSync(join(dir, 'audit-20250601-000000000000.jsonl'), `${open}\n`);
    const result = await runCli(['audit', 'verify', dir]);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain('unreadable');
    expect(result.stdout + result.stderr).not.toMatch(/ERIKSSON|\u001b/);
  });

  it('refuses a path that does not exist and a key file it cannot read, with exit 4', async () => {
    const missing = await runCli(['audit', 'verify', tmp.path('nothing-here')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('the path given as argument 1 does not exist');
    const { dir } = await log('key', 1);
    const key = await runCli(['audit', 'verify', dir, '--public-key', tmp.path('no-key.pem')]);
    expect(key.code).toBe(4);
    expect(key.stderr).toContain('--public-key cannot be read');
    const none = await runCli(['audit', 'verify']);
    expect(none.code).toBe(4);
  });
});
