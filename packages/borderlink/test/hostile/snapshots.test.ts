// A snapshot from a gateway we did not write, over real sockets: every way its answer can lie or break is a typed
// error that names the line, never what the line held, and no line of a broken answer is ever given as whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BorderlinkError, ConnectionError, ProtocolError, httpTransport, type Transport } from 'borderlink';
import { fetchSnapshot } from '../../src/protocol/snapshot';
import type { SnapshotEnd } from '../../src/stores/types';
import { context, deltaAnswer, failure, fullAnswer, ndjson, readAll, sltdRecord, sltdUpsert } from '../helpers/snapshots';
import { PLANTED } from './answers';
import { startHostileGateway, type HostileAnswer, type HostileGateway } from './server';

let gateway: HostileGateway;
let transport: Transport;
beforeAll(async () => {
  gateway = await startHostileGateway();
  transport = httpTransport({ baseUrl: gateway.url });
});
afterAll(async () => {
  await transport.close();
  await gateway.close();
});

const planted = Object.values(PLANTED);
const ndjsonAnswer = (body: string, extra: Partial<HostileAnswer> = {}): HostileAnswer => ({
  status: 200,
  headers: [['content-type', 'application/x-ndjson']],
  body,
  ...extra,
});

/** Fetches and reads a snapshot of SLTD from the gateway answering `answer`; what it threw. */
async function refused(answer: HostileAnswer, since?: string): Promise<BorderlinkError> {
  gateway.answer(() => answer);
  const err = await failure(
    (async () => {
      const fetched = await fetchSnapshot(transport, { source: 'SLTD', since, context, timeoutMs: 5000, requestId: 'hostile-1' });
      if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
      return readAll(fetched.lines);
    })(),
  );
  expect(err).toBeInstanceOf(BorderlinkError);
  const all = `${(err as Error).message} ${JSON.stringify(err)} ${JSON.stringify((err as ProtocolError).issues ?? [])}`;
  for (const value of planted) expect(all).not.toContain(value);
  expect((err as BorderlinkError).requestId).toBe('hostile-1');
  return err as BorderlinkError;
}

const planting = { ...sltdRecord(2, PLANTED.documentNumber), ownerCountry: PLANTED.escape, actionToBeTaken: PLANTED.surname };

describe('a hostile gateway’s snapshot', () => {
  it('a huge line is refused at its number once past the limit, without reading the rest of the answer', async () => {
    const head = `${JSON.stringify(sltdUpsert(1))}\n{"op":"upsert","record":{"recordId":"${PLANTED.documentNumber}`;
    const err = await refused(ndjsonAnswer(head, { streamBytes: 256 * 1024 * 1024 }));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).issues).toEqual([{ path: 'lines.2', message: 'is longer than the line limit' }]);
  });

  const cases: [name: string, body: () => string, line: number, since?: string][] = [
    ['a record of another source', () => fullAnswer('SLTD', [sltdUpsert(1), { op: 'upsert', record: { ...planting, source: 'SMV', vehicle: {} } }]), 2],
    ['an end line of another source', () => fullAnswer('SLTD', [{ op: 'upsert', record: planting }], { source: 'TDAWN' }), 2],
    ['no end line', () => ndjson([sltdUpsert(1), { op: 'upsert', record: planting }]), 3],
    ['a content hash of other lines', () => fullAnswer('SLTD', [{ op: 'upsert', record: planting }], { contentHash: `sha256:${'f'.repeat(64)}` }), 2],
    ['a second end line', () => fullAnswer('SLTD', [{ op: 'upsert', record: planting }]).replace(/(\{"op":"end".*\n)$/, '$1$1'), 3],
    ['bytes after the end line', () => `${fullAnswer('SLTD', [sltdUpsert(1)])}${PLANTED.surname}`, 3],
    ['a delta claiming more changes than it sent', () => deltaAnswer('SLTD', [{ op: 'delete', source: 'SLTD', recordId: PLANTED.documentNumber }], { changes: 2 }), 2, 'cursor-1'],
    ['a line that is not JSON', () => `${JSON.stringify(sltdUpsert(1))}\n${PLANTED.escape}${PLANTED.documentNumber}\n`, 2],
  ];
  for (const [name, body, line, since] of cases) {
    it(`${name}: a ProtocolError at line ${line}, and no end line given`, async () => {
      const given: string[] = [];
      gateway.answer(() => ndjsonAnswer(body()));
      const fetched = await fetchSnapshot(transport, { source: 'SLTD', since, context, timeoutMs: 5000, requestId: 'hostile-1' });
      if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
      const err = await failure((async () => {
        for await (const l of fetched.lines) given.push(l.op);
      })());
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).message).toContain(`line ${line}`);
      expect(given).not.toContain('end');
      await refused(ndjsonAnswer(body()), since);
    });
  }

  it('an answer cut mid-line by the connection is a ConnectionError', async () => {
    const body = fullAnswer('SLTD', [sltdUpsert(1), { op: 'upsert', record: planting }, sltdUpsert(3)]);
    // Past the status line and headers (about 100 bytes), inside the second line.
    expect(Buffer.byteLength(body)).toBeGreaterThan(600);
    const err = await refused(ndjsonAnswer(body, { cutAfter: 400 }));
    expect(err).toBeInstanceOf(ConnectionError);
  });

  it('an answer that ends early without content-length, before its end line, is a retryable ProtocolError', async () => {
    const body = ndjson([sltdUpsert(1), { op: 'upsert', record: planting }]);
    const err = await refused(ndjsonAnswer(body, { noContentLength: true }));
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.retryable).toBe(true);
  });

  it('a sound answer from the same gateway reads whole, so the refusals above are the lines’ doing', async () => {
    gateway.answer(() => ndjsonAnswer(fullAnswer('SLTD', [sltdUpsert(1), { op: 'upsert', record: planting }])));
    const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 5000 });
    if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
    const lines = await readAll(fetched.lines);
    expect((lines[2] as SnapshotEnd).changes).toBe(2);
  });
});
