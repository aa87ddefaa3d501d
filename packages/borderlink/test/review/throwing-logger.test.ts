// A log sink that throws must not change an answer: a check still resolves with its verdict, and every batch row
// still comes out exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient, type Logger } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

/** A logger whose every call after the first `okCalls` throws (a closed stream, a full disk). */
function failingLogger(okCalls = 0): Logger {
  let calls = 0;
  const sink = () => {
    if (++calls > okCalls) throw new Error('log stream closed');
  };
  return { error: sink, warn: sink, info: sink, debug: sink };
}

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('a logger that throws', () => {
  it('does not fail a check', async () => {
    const client = createClient({ transport: mockTransport(), context, logLevel: 'debug', logger: failingLogger() });
    clients.push(client);
    const result = await client.checkDocument(specimen);
    expect(result.verdict).toBe('HIT');
  });

  it('does not make a batch row come out twice', async () => {
    const client = createClient({ transport: mockTransport(), context, logLevel: 'info', logger: failingLogger(1) });
    clients.push(client);
    const ids: string[] = [];
    const verdicts: Record<string, string | undefined> = {};
    for await (const row of client.checkMany([
      { id: 'a', subjects: [{ kind: 'document', ...specimen }] },
      { id: 'b', subjects: [{ kind: 'document', ...specimen, documentNumber: 'ZZ0000001' }] },
    ])) {
      ids.push(row.id);
      verdicts[row.id] = row.result?.verdict ?? row.error?.code;
    }
    expect(ids.sort()).toEqual(['a', 'b']);
    expect(verdicts).toEqual({ a: 'HIT', b: 'NO_HIT' });
  });
});
