// `borderlink sync` and `borderlink check --offline-store`, run as processes against a mock gateway over a real
// socket: the copy answers when the gateway is gone and says so; a copy too old never reads clear; what the copy
// answered is re-screened by the next sync (a record added meanwhile is a late hit); a source that fails is named.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { createMockGateway, demoDataset, type MockGateway } from 'borderlink/testing';
import { CONTEXT, runCli, startGateway, type CliResult } from './run';
import { storeKeys, tempDir } from './store-env';

const tmp = tempDir('borderlink-cli-offline-');
afterAll(() => tmp.remove());

const STOLEN = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];
const UNKNOWN = ['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT'];
let stores = 0;
const newStore = () => tmp.path(`copy-${++stores}.db`);

/** Each JSON line of an output. */
const jsonLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A mock gateway in this process, closed when the test ends (tests run concurrently: each closes its own). */
async function gateway(test: TestContext, options: Parameters<typeof createMockGateway>[0] = {}): Promise<MockGateway> {
  const g = await createMockGateway(options);
  test.onTestFinished(() => g.close());
  return g;
}

/** A `borderlink gateway` process, killed when the test ends if the test has not stopped it. */
async function gatewayProcess(test: TestContext, args: string[] = []) {
  const running = await startGateway(args);
  test.onTestFinished(async () => {
    await running.stop('SIGKILL');
  });
  return running;
}

/** The exit code, with the output in the message when it is another. */
function expectExit(result: CliResult, code: number): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
}

function expectNoKey(result: CliResult, written: string[]): void {
  for (const k of written) expect(result.stdout + result.stderr).not.toContain(k);
}

describe.concurrent('borderlink sync and check --offline-store, against a gateway process', () => {
  it('answers HIT for L898902C3 from the copy once the gateway is killed, and says it came from the copy', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const running = await gatewayProcess(test);
    const synced = await runCli(['sync', '--store', store, '--gateway', running.url, ...CONTEXT], { env: keys.env });
    expectExit(synced, 0);
    for (const source of ['SLTD', 'TDAWN', 'NOMINAL', 'SMV']) expect(synced.stdout).toMatch(new RegExp(`${source} +synced +full snapshot`));
    expect(synced.stdout).not.toContain('DEMO');
    await running.stop('SIGKILL');

    const text = await runCli([...STOLEN, '--offline-store', store, '--gateway', running.url, ...CONTEXT], { env: keys.env });
    expectExit(text, 1);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^HIT — /);
    expect(lines[1]).toBe('OFFLINE COPY — answered from the offline copy, not the gateway: the gateway could not answer (CONNECTION_FAILED)');
    expect(text.stdout).toMatch(/SLTD +HIT +offline copy · data as of \d{4}-\d\d-\d\dT[^ ]+ · age \d+ s/);
    expect(text.stdout).toMatch(/record id +SLTD-UTO-0001/);
    expect(text.stdout).toContain('from the offline copy');

    const json = await runCli([...STOLEN, '--offline-store', store, '--gateway', running.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(json, 1);
    const answer = JSON.parse(json.stdout);
    expect(answer).toMatchObject({ verdict: 'HIT', servedFrom: 'offline', offlineReason: 'CONNECTION_FAILED', offlineCopy: { reason: 'CONNECTION_FAILED', maxStalenessHours: 48 } });
    expect(answer.outcomes.every((o: { servedFrom?: string; dataAsOf?: string }) => o.servedFrom === 'offline' && typeof o.dataAsOf === 'string')).toBe(true);
    expect(answer.offlineCopy.sources.map((s: { source: string }) => s.source)).toEqual(['SLTD', 'TDAWN']);
    for (const s of answer.offlineCopy.sources) expect(s.ageSeconds).toBeGreaterThanOrEqual(0);
    for (const r of [synced, text, json]) expectNoKey(r, keys.written);
  });

  it('gives INCOMPLETE (exit 3), never NO_HIT, for a copy older than --max-staleness-hours, and a HIT from it stays a HIT', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const running = await gatewayProcess(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', running.url, ...CONTEXT], { env: keys.env }), 0);
    await running.stop('SIGKILL');
    const offline = ['--offline-store', store, '--gateway', running.url, ...CONTEXT, '--max-staleness-hours', '0'];

    const stale = await runCli([...UNKNOWN, ...offline], { env: keys.env });
    expectExit(stale, 3);
    expect(stale.stdout.split('\n')[0]).toMatch(/^INCOMPLETE — /);
    expect(stale.stdout).toMatch(/SLTD +UNAVAILABLE +offline copy/);
    expect(stale.stdout).toContain('COPY_TOO_OLD: the copy is older than 0 h: finding nothing in it is not a clear answer');
    const json = JSON.parse((await runCli([...UNKNOWN, ...offline, '--json'], { env: keys.env })).stdout);
    expect(json.verdict).toBe('INCOMPLETE');
    expect(json.outcomes.map((o: { offlineNote?: string }) => o.offlineNote)).toEqual(['COPY_TOO_OLD', 'COPY_TOO_OLD']);
    expect(json.offlineCopy.sources.map((s: { offlineNote: string }) => s.offlineNote)).toEqual(['COPY_TOO_OLD', 'COPY_TOO_OLD']);

    expectExit(await runCli([...STOLEN, ...offline], { env: keys.env }), 1);
  });

  it('gives INCOMPLETE under the default 48 hours for a copy of data dated long ago', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const dataset = tmp.path(`old-${stores}.json`);
    writeFileSync(dataset, JSON.stringify({ ...demoDataset, dataAsOf: '2020-01-01T00:00:00Z' }));
    const running = await gatewayProcess(test, ['--dataset', dataset]);
    expectExit(await runCli(['sync', '--store', store, '--gateway', running.url, ...CONTEXT], { env: keys.env }), 0);
    await running.stop('SIGKILL');
    const result = await runCli([...UNKNOWN, '--offline-store', store, '--gateway', running.url, ...CONTEXT], { env: keys.env });
    expectExit(result, 3);
    expect(result.stdout).toContain('data as of 2020-01-01T00:00:00Z');
    expect(result.stdout).toContain('COPY_TOO_OLD: the copy is older than 48 h');
  });
});

describe.concurrent('borderlink check --offline-store, against a gateway in this process', () => {
  it('says EXACT_MATCH_ONLY beside a person NO_HIT from the copy', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--sources', 'nominal'], { env: keys.env }), 0);
    g.setFaults({ random: { rate: 1, faults: [{ type: 'status', status: 503 }] } });
    const person = ['check', 'person', '--surname', 'NOBODY', '--given', 'KNOWN', '--dob', '1980-01-01'];
    const result = await runCli([...person, '--offline-store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env });
    expect(result.stdout).toMatch(/NOMINAL +NO_HIT +offline copy/);
    expect(result.stdout).toContain('EXACT_MATCH_ONLY: the copy matches names exactly');
    expect(result.stdout).toContain('the gateway could not answer (UPSTREAM_UNAVAILABLE)');
  });

  it('answers from the gateway when it answers, and the answer says nothing of a copy', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env }), 0);
    const result = await runCli([...STOLEN, '--offline-store', store, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(result, 1);
    const json = JSON.parse(result.stdout);
    expect(json.servedFrom).toBe('network');
    expect(json.offlineCopy).toBeUndefined();
  });

  it('re-screens at the next sync what the copy answered: a record added while the gateway was down is a LATE HIT (exit 1)', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env }), 0);
    g.setFaults({ random: { rate: 1, faults: [{ type: 'reset' }] } });
    const checked = await runCli([...UNKNOWN, '--offline-store', store, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    const answer = JSON.parse(checked.stdout);
    expect(answer).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'offline' });

    g.setFaults();
    g.upsertRecord({
      source: 'SLTD',
      recordId: 'SLTD-UTO-0777',
      documentNumber: 'X1234567',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'STOLEN',
      incidentDate: '2026-11-30',
      incidentCountry: 'UTO',
      actionToBeTaken: 'SEIZE_DOCUMENT',
    });
    const sync = await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env });
    expectExit(sync, 1);
    expect(sync.stdout).toMatch(/SLTD +synced +delta · 1 change · 3 records/);
    expect(sync.stdout).toContain('Re-screened online 1 check the copy had answered: 1 late hit');
    expect(sync.stdout).toContain('LATE HIT — online HIT for a check the copy answered: SLTD SLTD-UTO-0777');
    expect(sync.stdout).toContain(`by officer-0042 for UTO-POLICE · request ${answer.requestId}`);

    // Settled: never sent again.
    const again = await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(again, 0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ type: 'summary', rescreened: 0, lateHits: 0 });
  });

  it('--offline-mode first: the copy answers at once, and a record the gateway has and the copy not is a LATE HIT', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env }), 0);
    const first = ['--offline-store', store, '--offline-mode', 'first', '--gateway', g.url, ...CONTEXT];

    const clear = await runCli([...UNKNOWN, ...first], { env: keys.env });
    expectExit(clear, 0);
    expect(clear.stdout).toContain('OFFLINE COPY — answered from the offline copy, not the gateway: --offline-mode first');
    expect(clear.stdout).toContain('The gateway answered the same check too, and found no record the copy did not have.');

    g.upsertRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0778', documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' });
    const late = await runCli([...UNKNOWN, ...first], { env: keys.env });
    expectExit(late, 1);
    expect(late.stdout.split('\n')[0]).toMatch(/^NO_HIT — /);
    expect(late.stdout).toContain('LATE HIT — the gateway found a record the copy did not have: SLTD SLTD-UTO-0778');
    const json = await runCli([...UNKNOWN, ...first, '--json'], { env: keys.env });
    expectExit(json, 1);
    const [answer, online] = jsonLines(json.stdout);
    expect(answer).toMatchObject({ verdict: 'NO_HIT', servedFrom: 'offline', offlineReason: 'OFFLINE_FIRST' });
    expect(online).toMatchObject({ online: { answered: true, lateHit: { requestId: answer!.requestId, records: [{ source: 'SLTD', recordId: 'SLTD-UTO-0778' }] } } });
  });
});

describe.concurrent('borderlink check --offline-mode first, when the gateway is slow', () => {
  it('says the gateway did not answer in time, and the next sync sends the kept check online', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env }), 0);
    g.setFaults({ random: { rate: 1, faults: [{ type: 'delay', ms: 5000 }] }, paths: ['/v1/checks'] });
    const slow = await runCli([...UNKNOWN, '--offline-store', store, '--offline-mode', 'first', '--gateway', g.url, ...CONTEXT, '--timeout', '500'], { env: keys.env });
    expectExit(slow, 0);
    expect(slow.stdout).toContain('The gateway did not answer the same check in time; the check is kept, and sent again online by the next borderlink sync.');
    g.setFaults();
    const sync = await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(sync, 0);
    expect(jsonLines(sync.stdout).at(-1)).toMatchObject({ type: 'summary', rescreened: 1, lateHits: 0 });
  });
});

describe.concurrent('borderlink sync', () => {
  it('names a source that failed with its error code, keeps its copy, syncs the others, and exits 5', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--sources', 'NOMINAL'], { env: keys.env }), 0);
    g.setFaults({ random: { rate: 1, faults: [{ type: 'status', status: 503 }] }, paths: ['/v1/snapshots/NOMINAL'] });
    const result = await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT], { env: keys.env });
    expectExit(result, 5);
    expect(result.stdout).toContain('Synced the offline copy: 3 of 4 sources');
    expect(result.stdout).toMatch(/SLTD +synced/);
    expect(result.stdout).toMatch(/NOMINAL +FAILED +UPSTREAM_UNAVAILABLE: .* — its copy is as synced \d{4}-/);
    expect(result.stdout).toMatch(/SMV +synced/);

    const json = await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--json'], { env: keys.env });
    expectExit(json, 5);
    const lines = jsonLines(json.stdout);
    expect(lines.filter((l) => l.type === 'syncFailed')).toEqual([{ type: 'syncFailed', source: 'NOMINAL', code: 'UPSTREAM_UNAVAILABLE' }]);
    const summary = lines.at(-1)!;
    expect(summary.type).toBe('summary');
    expect((summary.sources as { source: string; ok: boolean }[]).map((s) => [s.source, s.ok])).toEqual([
      ['SLTD', true],
      ['TDAWN', true],
      ['NOMINAL', false],
      ['SMV', true],
    ]);
  });

  it('writes progress as JSON lines on stderr when stderr is no terminal, and everything as JSON lines on stdout with --json', async (test) => {
    const keys = storeKeys();
    const store = newStore();
    const g = await gateway(test);
    const text = await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--sources', 'SLTD,TDAWN'], { env: keys.env });
    expectExit(text, 0);
    expect(jsonLines(text.stderr)).toEqual([
      { type: 'syncProgress', source: 'SLTD', changes: 2 },
      { type: 'syncProgress', source: 'TDAWN', changes: 1 },
    ]);
    const json = await runCli(['sync', '--store', newStore(), '--gateway', g.url, ...CONTEXT, '--sources', 'SLTD', '--json'], { env: keys.env });
    expect(json.stderr).toBe('');
    expect(jsonLines(json.stdout).map((l) => l.type)).toEqual(['syncProgress', 'sync', 'summary']);
    expect((await runCli(['sync', '--store', store, '--gateway', g.url, ...CONTEXT, '--no-progress'], { env: keys.env })).stderr).toBe('');
  });

  it('draws a progress bar on a terminal (marked DEMO on the demo gateway) and clears it before the results; none with --json', async () => {
    const keys = storeKeys();
    const terminal = ['--require', fileURLToPath(new URL('./fixtures/stderr-tty.cjs', import.meta.url))];
    const text = await runCli(['sync', '--store', newStore()], { env: keys.env, nodeArgs: terminal });
    expectExit(text, 0);
    expect(text.stderr).toContain('DEMO │ syncing SLTD (1 of 4) · 0 changes applied');
    expect(text.stderr).toMatch(/syncing SMV \(4 of 4\)/);
    // Cleared at the end: the last thing drawn is the erasure of the line.
    expect(text.stderr.endsWith('\u001b[2K')).toBe(true);
    expect(text.stderr).not.toContain('{');
    expect(text.stdout).toContain('Synced the demo dataset: 4 of 4 sources');
    const json = await runCli(['sync', '--store', newStore(), '--json'], { env: keys.env, nodeArgs: terminal });
    expectExit(json, 0);
    expect(json.stderr).toBe('');
  });

  it('refuses an unknown source without quoting it (exit 4)', async () => {
    const keys = storeKeys();
    const result = await runCli(['sync', '--store', newStore(), '--sources', 'SLTD,ERIKSSON'], { env: keys.env });
    expectExit(result, 4);
    expect(result.stderr).toBe('borderlink: --sources takes SLTD, TDAWN, NOMINAL, SMV, separated by commas\n');
  });
});

describe.concurrent('borderlink sync against the demo gateway', () => {
  it('syncs the demo dataset, says DEMO on every line, and answers a demo check from it', async () => {
    const keys = storeKeys();
    const store = newStore();
    const sync = await runCli(['sync', '--store', store], { env: keys.env });
    expectExit(sync, 0);
    const lines = sync.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^DEMO │( |$)/);
    expect(sync.stdout).toContain('Synced the demo dataset: 4 of 4 sources');
    expect(sync.stdout).toContain('DEMO GATEWAY — synthetic data, not a real check');
    for (const line of jsonLines(sync.stderr)) expect(line.gateway).toBe('demo');
    const check = await runCli([...STOLEN, '--offline-store', store, '--offline-mode', 'first', '--json'], { env: keys.env });
    expectExit(check, 1);
    const [answer] = jsonLines(check.stdout);
    expect(answer).toMatchObject({ gateway: 'demo', verdict: 'HIT', servedFrom: 'offline' });
  });

  it('keeps the demo copy and a real one apart: neither answers nor syncs for the other (exit 4)', async (test) => {
    const keys = storeKeys();
    const demoStore = newStore();
    const realStore = newStore();
    const g = await gateway(test);
    expectExit(await runCli(['sync', '--store', demoStore], { env: keys.env }), 0);
    expectExit(await runCli(['sync', '--store', realStore, '--gateway', g.url, ...CONTEXT], { env: keys.env }), 0);

    const realOnDemo = await runCli([...UNKNOWN, '--offline-store', demoStore, '--gateway', g.url, ...CONTEXT], { env: keys.env });
    expectExit(realOnDemo, 4);
    expect(realOnDemo.stderr).toMatch(/^borderlink: the store given to --offline-store holds the demo copy \(synthetic data\): a real gateway never answers from it/);
    const syncRealIntoDemo = await runCli(['sync', '--store', demoStore, '--gateway', g.url, ...CONTEXT], { env: keys.env });
    expectExit(syncRealIntoDemo, 4);

    const demoOnReal = await runCli([...UNKNOWN, '--offline-store', realStore], { env: keys.env });
    expectExit(demoOnReal, 4);
    expect(demoOnReal.stderr).toMatch(/^borderlink: the store given to --offline-store holds a copy synced from a gateway: the demo gateway never uses it/);
    expectExit(await runCli(['sync', '--store', realStore], { env: keys.env }), 4);
  });
});
