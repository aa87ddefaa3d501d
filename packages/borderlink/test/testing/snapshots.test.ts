// The mock gateway's snapshots, in-process: full and delta answers from its records as they change, the refusals, and
// the faults of a plan applied to a streamed answer.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectionError,
  GatewayError,
  ProtocolError,
  TimeoutError,
  createClient,
  type Source,
} from 'borderlink';
import {
  createGatewayHandler,
  demoDataset,
  loadDataset,
  mockTransport,
  syntheticDataset,
  type DatasetRecord,
  type GatewayHandler,
  type MockTransport,
} from 'borderlink/testing';
import { fetchSnapshot, snapshotLineSchema } from '../../src/protocol/snapshot';
import { offlineKeysOf } from '../../src/stores/keys';
import type { OfflineRecord, SnapshotChange, SnapshotEnd } from '../../src/stores/types';
import { context, contextHeaders, failure, readAll } from '../helpers/snapshots';

type Line = SnapshotChange | SnapshotEnd;

/** Every line of a snapshot of `source` (a delta after `since`), read by the client's reader. */
async function snapshot(transport: MockTransport, source: Source, since?: string): Promise<{ changes: SnapshotChange[]; end: SnapshotEnd }> {
  const fetched = await fetchSnapshot(transport, { source, since, context, timeoutMs: 5000 });
  if (fetched.kind !== 'snapshot') throw new Error(`expected a snapshot, got ${fetched.kind}`);
  const lines = await readAll<Line>(fetched.lines);
  return { changes: lines.slice(0, -1) as SnapshotChange[], end: lines[lines.length - 1] as SnapshotEnd };
}

/** The raw answer of the handler, its streamed body read whole. */
async function raw(handle: GatewayHandler, path: string, headers: Record<string, string> = contextHeaders, method = 'GET') {
  const res = await handle({ method, path, headers, body: '' });
  let body = res.body;
  if (res.stream) for await (const part of res.stream) body += part;
  return { ...res, body };
}

const ids = (changes: SnapshotChange[]) => changes.map((c) => (c.op === 'upsert' ? `+${c.record.recordId}` : `-${c.recordId}`));

const stolen = (recordId: string, documentNumber = 'X1234567'): DatasetRecord & { source: 'SLTD' } => ({
  source: 'SLTD',
  recordId,
  documentNumber,
  issuingState: 'UTO',
  documentType: 'PASSPORT',
  status: 'STOLEN',
});

describe('the mock gateway: full snapshots', () => {
  it('answers every source with its records, each line as protocol v1 describes it', async () => {
    const handle = createGatewayHandler();
    for (const source of ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'] as const) {
      const res = await raw(handle, `/v1/snapshots/${source}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-ndjson');
      const lines = res.body.split('\n');
      expect(lines.pop()).toBe('');
      for (const line of lines) snapshotLineSchema.parse(JSON.parse(line));
      const { changes, end } = await snapshot(mockTransport(), source);
      const expected = { SLTD: demoDataset.documents, TDAWN: demoDataset.linkedDocuments, NOMINAL: demoDataset.persons, SMV: demoDataset.vehicles }[source];
      expect(ids(changes)).toEqual(expected.map((r) => `+${r.recordId}`));
      expect(end).toMatchObject({ source, full: true, changes: expected.length, recordCount: expected.length, contentHash: expect.stringMatching(/^sha256:/) });
    }
  });

  it('sends a record as a check answer describes it', async () => {
    const { changes } = await snapshot(mockTransport(), 'TDAWN');
    expect(changes[0]).toEqual({
      op: 'upsert',
      record: {
        source: 'TDAWN',
        recordId: 'TDAWN-UTO-0001',
        ownerCountry: 'UTO',
        actionToBeTaken: 'DETAIN_HOLDER_AND_INFORM_OWNER',
        document: { documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT', status: 'VALID' },
        notice: { type: 'RED', reference: 'A-1207/3-2024', requestingCountry: 'UTO', charges: ['ARMED ROBBERY'] },
      },
    });
  });

  it("sends the dataset's dataAsOf, then the time of the source's last change", async () => {
    const transport = mockTransport({ dataset: { ...demoDataset, dataAsOf: { SLTD: '2025-01-01T00:00:00Z' } } });
    expect((await snapshot(transport, 'SLTD')).end.dataAsOf).toBe('2025-01-01T00:00:00Z');
    const before = Date.now();
    transport.upsertRecord(stolen('SLTD-UTO-0099'));
    expect(Date.parse((await snapshot(transport, 'SLTD')).end.dataAsOf)).toBeGreaterThanOrEqual(before - 1000);
    expect((await snapshot(transport, 'SMV')).end.dataAsOf).not.toBe('2025-01-01T00:00:00Z');
  });
});

describe('the mock gateway: deltas carry every change since the cursor, once each', () => {
  it('carries a record added, replaced and removed through the mutation API, in the state each was left in', async () => {
    const transport = mockTransport();
    const { end: first } = await snapshot(transport, 'SLTD');
    expect((await snapshot(transport, 'SLTD', first.cursor)).changes).toEqual([]);
    transport.upsertRecord(stolen('SLTD-UTO-0099'));
    transport.upsertRecord({ ...stolen('SLTD-UTO-0099'), status: 'LOST' });
    transport.upsertRecord(stolen('SLTD-UTO-0098', 'X7654321'));
    transport.removeRecord('SLTD', 'SLTD-UTO-0098');
    transport.removeRecord('SLTD', 'SLTD-UTO-0002');
    const { changes, end } = await snapshot(transport, 'SLTD', first.cursor);
    expect(ids(changes)).toEqual(['+SLTD-UTO-0099', '-SLTD-UTO-0098', '-SLTD-UTO-0002']);
    expect(changes[0]).toMatchObject({ record: { document: { status: 'LOST' } } });
    expect(end).toMatchObject({ full: false, changes: 3, recordCount: 2 });
    expect(end).not.toHaveProperty('contentHash');
    // The next delta starts where this one ended; a removed record added back is an upsert only.
    transport.upsertRecord(stolen('SLTD-UTO-0002', 'D23145890'));
    expect(ids((await snapshot(transport, 'SLTD', end.cursor)).changes)).toEqual(['+SLTD-UTO-0002']);
    // A change to another source is not in this one's delta.
    transport.removeRecord('SMV', 'SMV-UTO-0001');
    expect((await snapshot(transport, 'SLTD', (await snapshot(transport, 'SLTD', end.cursor)).end.cursor)).changes).toEqual([]);
  });

  it('lets checks see a change at once', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context, retry: false });
    const query = { documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
    expect((await client.checkDocument(query)).verdict).toBe('NO_HIT');
    transport.upsertRecord(stolen('SLTD-UTO-0099'));
    expect((await client.checkDocument(query)).verdict).toBe('HIT');
    transport.removeRecord('SLTD', 'SLTD-UTO-0099');
    expect((await client.checkDocument(query)).verdict).toBe('NO_HIT');
    await client.close();
  });

  it('carries a report as an upsert and its withdrawal as a delete, and the withdrawn record no longer hits', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context, retry: false });
    const { end: first } = await snapshot(transport, 'SLTD');
    const report = await client.reportDocument({ documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' });
    const afterReport = await snapshot(transport, 'SLTD', first.cursor);
    expect(ids(afterReport.changes)).toEqual([`+${report.recordId}`]);
    expect(afterReport.end.recordCount).toBe(3);
    await client.withdrawReport({ recordId: report.recordId, reason: 'RECOVERED' });
    const afterWithdrawal = await snapshot(transport, 'SLTD', afterReport.end.cursor);
    expect(afterWithdrawal.changes).toEqual([{ op: 'delete', source: 'SLTD', recordId: report.recordId }]);
    expect(afterWithdrawal.end.recordCount).toBe(2);
    // From the first cursor, the record was added and withdrawn: its last state is gone.
    expect(ids((await snapshot(transport, 'SLTD', first.cursor)).changes)).toEqual([`-${report.recordId}`]);
    expect(ids((await snapshot(transport, 'SLTD')).changes)).not.toContain(`+${report.recordId}`);
    expect((await client.checkDocument({ documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT' })).verdict).toBe('NO_HIT');
    // Withdrawing it again changes nothing, so the next delta is empty.
    await client.withdrawReport({ recordId: report.recordId, reason: 'RECOVERED' });
    expect((await snapshot(transport, 'SLTD', afterWithdrawal.end.cursor)).changes).toEqual([]);
    await client.close();
  });

  it('keeps a change made while an answer streams out of it, for the next delta', async () => {
    const handle = createGatewayHandler({ dataset: syntheticDataset({ documents: 5000 }) });
    const res = await handle({ method: 'GET', path: '/v1/snapshots/SLTD', headers: contextHeaders, body: '' });
    const iterator = res.stream![Symbol.asyncIterator]();
    let text = (await iterator.next()).value as string;
    handle.upsertRecord(stolen('SLTD-NEW-1'));
    handle.removeRecord('SLTD', 'SYN-SLTD-4999');
    for (let part = await iterator.next(); !part.done; part = await iterator.next()) text += part.value;
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Line);
    const end = lines.pop() as SnapshotEnd;
    expect(end).toMatchObject({ changes: 5000, recordCount: 5000 });
    expect(lines.map((l) => (l as { record: OfflineRecord }).record.recordId)).toContain('SYN-SLTD-4999');
    const next = await raw(handle, `/v1/snapshots/SLTD?since=${encodeURIComponent(end.cursor)}`);
    expect(next.body.trim().split('\n').slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      { op: 'upsert', record: expect.objectContaining({ recordId: 'SLTD-NEW-1' }) },
      { op: 'delete', source: 'SLTD', recordId: 'SYN-SLTD-4999' },
    ]);
  });
});

describe('the mock gateway: what a snapshot request is refused for', () => {
  it('answers 410 SNAPSHOT_CURSOR_EXPIRED to a cursor it did not give: garbled, empty, future, or another gateway\'s', async () => {
    const transport = mockTransport();
    const other = mockTransport();
    const { end } = await snapshot(other, 'SLTD');
    const ours = (await snapshot(transport, 'SLTD')).end.cursor;
    const future = Buffer.from(Buffer.from(ours, 'base64url').toString('latin1').replace(/:\d+$/, ':999999')).toString('base64url');
    for (const since of ['garbled', end.cursor, future, 'djE6']) {
      expect(await fetchSnapshot(transport, { source: 'SLTD', since, context, timeoutMs: 1000 }), since).toMatchObject({ kind: 'cursor-expired' });
    }
    const handle = createGatewayHandler();
    const empty = await raw(handle, '/v1/snapshots/SLTD?since=');
    expect(empty.status).toBe(410);
    expect(JSON.parse(empty.body).error.code).toBe('SNAPSHOT_CURSOR_EXPIRED');
  });

  it('refuses a GET without its context headers with 400, naming each header', async () => {
    const handle = createGatewayHandler();
    const none = await raw(handle, '/v1/snapshots/SLTD', {});
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body).error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'headers.x-authority-id',
      'headers.x-operator-id',
      'headers.x-purpose',
    ]);
    const bad = await raw(handle, '/v1/snapshots/SLTD', { ...contextHeaders, 'x-purpose': 'CURIOSITY', 'x-location-id': 'a b' });
    expect(JSON.parse(bad.body).error.details.map((d: { path: string }) => d.path).sort()).toEqual(['headers.x-location-id', 'headers.x-purpose']);
  });

  it('answers 404 for a source it does not know, and 405 for another method', async () => {
    const handle = createGatewayHandler();
    expect((await raw(handle, '/v1/snapshots/SIS')).status).toBe(404);
    expect((await raw(handle, '/v1/snapshots/%E0%A4%A')).status).toBe(404);
    const post = await raw(handle, '/v1/snapshots/SLTD', contextHeaders, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect((await raw(handle, '/v1/checks', contextHeaders, 'GET')).status).toBe(405);
  });

  it('needs the bearer token like every path', async () => {
    const transport = mockTransport({ token: 'secret' });
    await expect(fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('the mock gateway: the mutation API refuses what a dataset file may not hold', () => {
  it('refuses a bad record by the field, never its value', () => {
    const handle = createGatewayHandler();
    expect(() => handle.upsertRecord({ ...stolen('SLTD-UTO-0099'), documentNumber: 'qz 7766554' })).toThrow(ConfigError);
    expect(() => handle.upsertRecord({ ...stolen('SLTD-UTO-0099'), documentNumber: 'qz 7766554' })).toThrow(/documentNumber/);
    expect(() => handle.upsertRecord({ ...stolen('SLTD-UTO-0099'), documentNumber: 'qz 7766554' })).not.toThrow(/qz 7766554/);
    expect(() => handle.upsertRecord({ ...stolen('SLTD-UTO-0099'), source: 'SIS' } as never)).toThrow(/source/);
    expect(() => handle.upsertRecord({ ...stolen('SLTD-UTO-0099'), extra: 1 } as never)).toThrow(ConfigError);
    expect(() => handle.upsertRecord(stolen('SMV-UTO-0001'))).toThrow(/another source/);
  });

  it('removes a record once, and refuses a source that is not one', () => {
    const handle = createGatewayHandler();
    expect(handle.removeRecord('SMV', 'SMV-UTO-0001')).toBe(true);
    expect(handle.removeRecord('SMV', 'SMV-UTO-0001')).toBe(false);
    expect(() => handle.removeRecord('SIS' as Source, 'x')).toThrow(ConfigError);
  });
});

describe('the mock gateway: faults apply to a streamed answer', () => {
  const run = async (transport: MockTransport) => {
    const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 200 });
    if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
    return readAll(fetched.lines);
  };
  const big = () => mockTransport({ dataset: syntheticDataset({ documents: 2000 }), faults: { paths: ['/v1/snapshots/*'], sequence: [] } });

  it('truncated: the answer stops in its last part and its body throws a ConnectionError, whatever its size', async () => {
    for (const dataset of [demoDataset, syntheticDataset({ documents: 2000 })]) {
      const transport = mockTransport({ dataset, faults: [{ type: 'truncated' }] });
      const err = await failure(run(transport));
      expect(err).toBeInstanceOf(ConnectionError);
    }
  });

  it('off-schema and malformed: a ProtocolError at line 1', async () => {
    for (const type of ['off-schema', 'malformed'] as const) {
      const transport = big();
      transport.setFaults([{ type }]);
      const err = await failure(run(transport));
      expect(err, type).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).issues[0]?.path, type).toMatch(/^lines\.1\b/);
    }
  });

  it('status, reset, lost-response and delay: the errors of any request', async () => {
    const transport = big();
    transport.setFaults([{ type: 'status', status: 503 }, { type: 'reset' }, { type: 'lost-response' }, { type: 'delay', ms: 5000 }]);
    expect(await failure(run(transport))).toBeInstanceOf(GatewayError);
    expect(await failure(run(transport))).toBeInstanceOf(ConnectionError);
    expect(await failure(run(transport))).toBeInstanceOf(ConnectionError);
    expect(await failure(run(transport))).toBeInstanceOf(TimeoutError);
    expect(await run(transport)).toHaveLength(2001);
  });

  it('stops a streamed body at the signal', async () => {
    const transport = big();
    const controller = new AbortController();
    const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 1000, signal: controller.signal });
    if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
    const err = await failure((async () => {
      let n = 0;
      for await (const _ of fetched.lines) if (++n === 10) controller.abort();
    })());
    expect(err).toMatchObject({ code: 'ABORTED' });
  });

  it('send reads a streamed answer whole', async () => {
    const transport = big();
    const res = await transport.send({ method: 'GET', path: '/v1/snapshots/SLTD', headers: contextHeaders, timeoutMs: 1000 });
    expect(res.body.trim().split('\n')).toHaveLength(2001);
  });
});

describe('syntheticDataset', () => {
  it('makes records that are valid, with distinct ids and distinct lookup keys in every source, every spelling of a person included', async () => {
    const dataset = syntheticDataset({ documents: 3000, linkedDocuments: 3000, persons: 3000, vehicles: 3000 });
    expect(loadDataset(JSON.parse(JSON.stringify(dataset)))).toEqual(dataset);
    const transport = mockTransport({ dataset });
    const allIds = new Set<string>();
    for (const source of ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'] as const) {
      const { changes, end } = await snapshot(transport, source);
      expect(end.recordCount).toBe(3000);
      const keys = new Set<string>();
      let total = 0;
      for (const change of changes) {
        if (change.op !== 'upsert') throw new Error('a full snapshot holds upserts only');
        allIds.add(change.record.recordId);
        const own = offlineKeysOf(change.record);
        // A person is found by its own name and by each other spelling of it (nameVariants): at least one key.
        if (source === 'NOMINAL') expect(own.length, change.record.recordId).toBeGreaterThanOrEqual(1);
        else expect(own.length, change.record.recordId).toBe(source === 'SMV' ? 2 : 1);
        total += own.length;
        for (const key of own) keys.add(key);
      }
      // No two records share a key.
      expect(keys.size, source).toBe(total);
      if (source !== 'NOMINAL') expect(total, source).toBe(source === 'SMV' ? 6000 : 3000);
    }
    expect(allIds.size).toBe(12000);
  });

  it('gives the same records for the same options', () => {
    expect(syntheticDataset({ persons: 50, vehicles: 50 })).toEqual(syntheticDataset({ persons: 50, vehicles: 50 }));
    expect(syntheticDataset()).toEqual({ documents: [], linkedDocuments: [], persons: [], vehicles: [] });
  });

  it('refuses an unknown option, and a count that is not a whole number in range, naming it', () => {
    expect(() => syntheticDataset({ documents: -1 })).toThrow(/syntheticDataset: option `documents`/);
    expect(() => syntheticDataset({ persons: 1.5 })).toThrow(ConfigError);
    expect(() => syntheticDataset({ vehicles: 10_000_001 })).toThrow(ConfigError);
    expect(() => syntheticDataset({ records: 5 } as never)).toThrow(ConfigError);
  });
});
