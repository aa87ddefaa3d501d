// A 401 or 403 from the gateway is configuration to fix (the token, the certificate, the authority's rights, the
// purpose), not a gateway or link that is down: its own exit code, 8, apart from 5. A screen stops at the first one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ConnectionError, GatewayError, PermissionError } from 'borderlink';
import { EXIT, EXIT_CODES, exitCodeForError } from '../src/exit-codes';
import { CONTEXT, rawGateway, runCli, startGateway } from './run';

const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stolen = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];

describe('the exit code of a refused access', () => {
  it('is 8 for a 401 and for a 403 FORBIDDEN or PURPOSE_NOT_ALLOWED; 5 for NOT_ISSUER and for a gateway or link down', () => {
    expect(EXIT_CODES.find((e) => e.code === 8)?.meaning).toMatch(/401.*403/);
    expect(exitCodeForError(new AuthenticationError('no'))).toBe(EXIT.ACCESS_REFUSED);
    expect(exitCodeForError(new PermissionError('no'))).toBe(8);
    expect(exitCodeForError(new PermissionError('no', { code: 'PURPOSE_NOT_ALLOWED' }))).toBe(8);
    expect(exitCodeForError(new PermissionError('no', { code: 'NOT_ISSUER' }))).toBe(5);
    expect(exitCodeForError(new GatewayError('down'))).toBe(5);
    expect(exitCodeForError(new ConnectionError('down'))).toBe(5);
  });
});

describe.concurrent('borderlink against a gateway that refuses access', () => {
  // A 401 exits 8 (and the token given, 1): gateway.test.ts, 'with --token refuses a check without it'.
  it('check exits 8 for a 403, and record for a purpose the gateway does not allow', async () => {
    const { url, server } = await rawGateway(() => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'no' } } }));
    const gateway = await startGateway([]);
    try {
      expect((await runCli([...stolen, '--gateway', url, ...CONTEXT])).code).toBe(8);
      const record = await runCli(['record', 'SLTD', 'SLTD-UTO-0001', '--gateway', gateway.url, ...CONTEXT]);
      expect(record.stderr).toContain('PURPOSE_NOT_ALLOWED');
      expect(record.code).toBe(8);
    } finally {
      server.close();
      await gateway.stop();
    }
  });

  it('screen stops at the first 401: the rows after are not sent, and the summary says how many were never screened', async () => {
    let requests = 0;
    const { url, server } = await rawGateway(() => {
      requests++;
      return { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'no' } } };
    });
    try {
      const manifest = join(dir, 'ten.csv');
      writeFileSync(manifest, `document_number,issuing_state\n${Array.from({ length: 10 }, (_, i) => `X${1000000 + i},UTO`).join('\n')}\n`);
      const { code, stdout, stderr } = await runCli(['screen', manifest, '--gateway', url, ...CONTEXT, '--batch-size', '1', '--concurrency', '1']);
      expect(code).toBe(8);
      const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { error: { code: string } });
      expect(lines.length).toBeLessThan(10);
      expect(lines.every((l) => l.error.code === 'UNAUTHENTICATED')).toBe(true);
      expect(requests).toBeLessThan(10);
      expect(stderr).toContain('  stopped: the gateway refused access (UNAUTHENTICATED): fix the token, the certificate, the authority or the purpose');
      expect(stderr).toContain(`  ${10 - lines.length} of 10 rows never screened`);
      expect(stderr).toMatch(/\n {2}exit 8: /);
    } finally {
      server.close();
    }
  });
});
