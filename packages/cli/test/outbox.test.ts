// `borderlink outbox list|flush`, run as processes: the writes a lane queued (through the library, on the same store
// file with the same keys) are listed without their bodies, and replayed to a mock gateway over a real socket under
// their own keys: delivered once, a refusal shown per key, and a non-zero exit while anything is left or refused.
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { createClient, httpTransport } from 'borderlink';
import { openOfflineStore } from 'borderlink/offline';
import { createMockGateway, type MockGateway } from 'borderlink/testing';
import { CONTEXT, runCli, type CliResult } from './run';
import { storeKeys, tempDir } from './store-env';

const tmp = tempDir('borderlink-cli-outbox-');
afterAll(() => tmp.remove());
let stores = 0;

function expectExit(result: CliResult, code: number): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
}

async function gateway(test: TestContext): Promise<MockGateway> {
  const g = await createMockGateway();
  test.onTestFinished(() => g.close());
  return g;
}

/** A URL where nothing listens: a gateway that was there and is gone. */
async function deadUrl(): Promise<string> {
  const g = await createMockGateway();
  await g.close();
  return g.url;
}

/** What personal data the queued reports carry: none of it may be printed. */
const PLANTED = ['CLIOUT0001', 'CLIOUT0002', 'NATREF-CLI-4711'];

/** A store whose outbox holds `reports`, queued by a client whose gateway is gone, as a lane would queue them. */
async function queued(keys: ReturnType<typeof storeKeys>, reports: { key: string; issuingState: string; number: string }[]): Promise<string> {
  const path = tmp.path(`outbox-${++stores}.db`);
  const store = openOfflineStore({ path, hmacKey: keys.hmacKey, encryptionKey: keys.encryptionKey });
  const client = createClient({
    transport: httpTransport({ baseUrl: await deadUrl() }),
    context: { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' },
    retry: { retries: 0 },
    timeoutMs: 2000,
    outbox: { store: store.outbox },
  });
  try {
    for (const r of reports) {
      const answer = await client.reportDocument(
        { documentNumber: r.number, issuingState: r.issuingState, documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2026-11-20', nationalReference: PLANTED[2] },
        { idempotencyKey: r.key },
      );
      expect(answer.status).toBe('QUEUED');
    }
  } finally {
    await client.close();
    store.close();
  }
  return path;
}

const expectNothingPlanted = (result: CliResult, keys: ReturnType<typeof storeKeys>) => {
  for (const value of [...PLANTED, ...keys.written]) expect(result.stdout + result.stderr).not.toContain(value);
};

describe.concurrent('borderlink outbox', () => {
  it('lists the queued writes by idempotency key, kind, time queued and attempts, never their bodies', async () => {
    const keys = storeKeys();
    const path = await queued(keys, [
      { key: 'lane-3-report-0001', issuingState: 'UTO', number: PLANTED[0]! },
      { key: 'lane-3-report-0002', issuingState: 'UTO', number: PLANTED[1]! },
    ]);
    const text = await runCli(['outbox', 'list', '--store', path], { env: keys.env });
    expectExit(text, 0);
    expect(text.stdout).toContain('2 writes wait in the outbox, oldest first');
    expect(text.stdout).toMatch(/pending +lane-3-report-0001 +report +queued \d{4}-\d\d-\d\dT[^ ]+Z · 0 attempts/);
    expect(text.stdout.indexOf('lane-3-report-0001')).toBeLessThan(text.stdout.indexOf('lane-3-report-0002'));
    const json = await runCli(['outbox', 'list', '--store', path, '--json'], { env: keys.env });
    expectExit(json, 0);
    const rows = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => Object.keys(r).sort())).toEqual([
      ['attempts', 'idempotencyKey', 'kind', 'queuedAt'],
      ['attempts', 'idempotencyKey', 'kind', 'queuedAt'],
    ]);
    expect(rows.map((r) => [r.idempotencyKey, r.kind, r.attempts])).toEqual([
      ['lane-3-report-0001', 'report', 0],
      ['lane-3-report-0002', 'report', 0],
    ]);
    for (const r of [text, json]) expectNothingPlanted(r, keys);
  });

  it('flushes to the gateway: delivered per key, stored once, a NOT_ISSUER refusal shown per key, exit 5 while one was refused', async (test) => {
    const keys = storeKeys();
    const path = await queued(keys, [
      { key: 'lane-3-report-0003', issuingState: 'UTO', number: PLANTED[0]! },
      { key: 'lane-3-report-0004', issuingState: 'D', number: PLANTED[1]! },
    ]);
    const g = await gateway(test);
    const flush = await runCli(['outbox', 'flush', '--store', path, '--gateway', g.url, ...CONTEXT], { env: keys.env });
    expectExit(flush, 5);
    expect(flush.stdout).toMatch(/delivered +lane-3-report-0003 +report +record SLTD-UTO-R\d+/);
    expect(flush.stdout).toMatch(/REJECTED +lane-3-report-0004 +report +NOT_ISSUER: the gateway refused it for good; show it to a person/);
    expect(flush.stdout).toContain('Delivered 1, rejected 1');
    expect(g.reports.map((r) => r.idempotencyKey)).toEqual(['lane-3-report-0003']);
    expectNothingPlanted(flush, keys);

    // Neither is sent again: the queue is empty.
    const list = await runCli(['outbox', 'list', '--store', path], { env: keys.env });
    expect(list.stdout).toContain('The outbox is empty');
    const again = await runCli(['outbox', 'flush', '--store', path, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(again, 0);
    expect(JSON.parse(again.stdout)).toEqual({ type: 'summary', delivered: 0, rejected: 0, pending: 0 });
    expect(g.reports).toHaveLength(1);
  });

  it('exits 5 and lists what stays pending when the gateway cannot be reached, and 0 once all is delivered', async (test) => {
    const keys = storeKeys();
    const path = await queued(keys, [{ key: 'lane-3-report-0005', issuingState: 'UTO', number: PLANTED[0]! }]);
    const down = await runCli(['outbox', 'flush', '--store', path, '--gateway', await deadUrl(), ...CONTEXT, '--timeout', '2000'], { env: keys.env });
    expectExit(down, 5);
    expect(down.stdout).toMatch(/pending +lane-3-report-0005 +report +queued [^ ]+ · 1 attempt\n/);
    expect(down.stdout).toContain('Delivered 0, rejected 0; 1 still pending');

    const g = await gateway(test);
    const up = await runCli(['outbox', 'flush', '--store', path, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(up, 0);
    const lines = up.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'delivered', idempotencyKey: 'lane-3-report-0005', kind: 'report', replayed: false });
    expect(lines.at(-1)).toEqual({ type: 'summary', delivered: 1, rejected: 0, pending: 0 });
    expect(g.reports.map((r) => r.idempotencyKey)).toEqual(['lane-3-report-0005']);
  });

  it('refuses to flush to the demo gateway, which would take the writes and reach nobody (exit 4)', async () => {
    const keys = storeKeys();
    const path = await queued(keys, [{ key: 'lane-3-report-0006', issuingState: 'UTO', number: PLANTED[0]! }]);
    const result = await runCli(['outbox', 'flush', '--store', path], { env: keys.env });
    expectExit(result, 4);
    expect(result.stderr).toMatch(/^borderlink: outbox flush sends queued writes to a real gateway only/);
    expect((await runCli(['outbox', 'list', '--store', path], { env: keys.env })).stdout).toContain('lane-3-report-0006');
  });
});
