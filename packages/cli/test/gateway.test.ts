import { describe, expect, it } from 'vitest';
import { CONTEXT, runCli, startGateway } from './run';

const stolen = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];

describe.concurrent('borderlink gateway', () => {
  it('prints only its URL on the first line, answers a real HTTP check, and stops cleanly on SIGTERM', async () => {
    const gateway = await startGateway([]);
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { code, stdout } = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT]);
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toMatch(/^HIT — /);
    expect(stdout).not.toContain('DEMO GATEWAY');
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(gateway.stderr()).toContain('mock gateway stopped');
  });

  it('with --faults unavailable makes the check INCOMPLETE, exit 3', async () => {
    const gateway = await startGateway(['--faults', 'unavailable']);
    try {
      const { code, stdout } = await runCli([...stolen, '--json'], {
        env: { BORDERLINK_GATEWAY_URL: gateway.url, BORDERLINK_AUTHORITY: 'UTO-POLICE', BORDERLINK_OPERATOR: 'ops', BORDERLINK_PURPOSE: 'TEST' },
      });
      expect(code).toBe(3);
      const json = JSON.parse(stdout);
      expect(json.verdict).toBe('INCOMPLETE');
      expect(json.gateway).toBeUndefined();
      expect(json.outcomes.map((o: { status: string }) => o.status)).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
    } finally {
      expect(await gateway.stop('SIGINT')).toBe(0);
    }
  });

  it('with --token refuses a check without it (exit 8: access refused) and answers one with it', async () => {
    const gateway = await startGateway(['--token', 'dev-token-1']);
    try {
      const refused = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT]);
      expect(refused.code).toBe(8);
      expect(refused.stderr).toMatch(/^borderlink: .*\(UNAUTHENTICATED, request [\w-]+\)\n$/);
      const allowed = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT], { env: { BORDERLINK_TOKEN: 'dev-token-1' } });
      expect(allowed.code).toBe(1);
    } finally {
      await gateway.stop();
    }
  });

  it('with --tls serves HTTPS with a certificate made by openssl, and prints the CA a client trusts with --ca', async () => {
    const gateway = await startGateway(['--tls']);
    try {
      expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // The URL comes first on stdout; the note with the CA's path follows on stderr.
      let ca: string | undefined;
      for (let i = 0; i < 100 && ca === undefined; i++) {
        ca = /--ca (\S+)\n/.exec(gateway.stderr())?.[1];
        if (ca === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(ca).toBeDefined();
      const trusted = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT, '--ca', ca!]);
      expect(trusted.code).toBe(1);
      const untrusted = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT]);
      expect(untrusted.code).toBe(5);
    } finally {
      await gateway.stop();
    }
  });

  it('serves the snapshots of its dataset: full, then a delta after the cursor, the context in headers', async () => {
    const gateway = await startGateway([]);
    try {
      const headers = { 'x-authority-id': 'UTO-POLICE', 'x-operator-id': 'ops', 'x-purpose': 'TEST' };
      const full = await fetch(`${gateway.url}/v1/snapshots/SLTD`, { headers });
      expect(full.status).toBe(200);
      expect(full.headers.get('content-type')).toBe('application/x-ndjson');
      const lines = (await full.text()).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.op)).toEqual(['upsert', 'upsert', 'end']);
      expect(lines[2]).toMatchObject({ source: 'SLTD', full: true, changes: 2, recordCount: 2 });
      const delta = await fetch(`${gateway.url}/v1/snapshots/SLTD?since=${encodeURIComponent(lines[2].cursor)}`, { headers });
      expect((await delta.text()).trim().split('\n').map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ op: 'end', full: false, changes: 0 })]);
      expect((await fetch(`${gateway.url}/v1/snapshots/SLTD`)).status).toBe(400);
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a bad fault spec with exit 4', async () => {
    const { code, stdout, stderr } = await runCli(['gateway', '--port', '0', '--faults', 'explode']);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^borderlink: Invalid fault spec/);
  });
});
