// One snapshot request end to end, through a transport the test scripts: what is sent, and what each answer gives.
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  GatewayError,
  InputError,
  NotFoundError,
  PermissionError,
  ProtocolError,
  RateLimitError,
  type StreamedResponse,
  type StreamRequest,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from 'borderlink';
import { errorFromResponse } from '../../src/protocol/errors';
import { fetchSnapshot } from '../../src/protocol/snapshot';
import { context, deltaAnswer, failure, fullAnswer, readAll, sltdUpsert } from '../helpers/snapshots';

/** A transport that answers every request with `answer`, and records what it was given. */
function scripted(answer: TransportResponse, withStream: boolean) {
  const sent: (TransportRequest | StreamRequest)[] = [];
  const transport: Transport = {
    endpoint: 'test://gateway',
    async send(request) {
      sent.push(request);
      return answer;
    },
    async close() {},
  };
  if (withStream) {
    transport.stream = async (request): Promise<StreamedResponse> => {
      sent.push(request);
      const bytes = Buffer.from(answer.body);
      return {
        status: answer.status,
        headers: answer.headers,
        body: (async function* () {
          // In parts that cut lines, as a network does.
          for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
        })(),
      };
    };
  }
  return { transport, sent };
}

const ok = (body: string): TransportResponse => ({ status: 200, headers: { 'content-type': 'application/x-ndjson' }, body });
const errorBody = (code: string) => JSON.stringify({ error: { code, message: 'x' } });

describe('fetchSnapshot', () => {
  for (const withStream of [true, false]) {
    const how = withStream ? 'through stream' : 'through send, when the transport has no stream';
    it(`reads a full snapshot ${how}`, async () => {
      const { transport } = scripted(ok(fullAnswer('SLTD', [sltdUpsert(1), sltdUpsert(2)])), withStream);
      const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 1000 });
      expect(fetched.kind).toBe('snapshot');
      if (fetched.kind !== 'snapshot') return;
      const lines = await readAll(fetched.lines);
      expect(lines.slice(0, 2)).toEqual([sltdUpsert(1), sltdUpsert(2)]);
      expect(lines[2]).toMatchObject({ op: 'end', full: true, changes: 2 });
    });

    it(`gives cursor-expired for a 410 to a delta ${how}`, async () => {
      const { transport } = scripted({ status: 410, headers: {}, body: errorBody('SNAPSHOT_CURSOR_EXPIRED') }, withStream);
      expect(await fetchSnapshot(transport, { source: 'SLTD', since: 'cursor-1', context, timeoutMs: 1000, requestId: 'r-1' })).toEqual({
        kind: 'cursor-expired',
        requestId: 'r-1',
      });
    });
  }

  it('sends a GET with the context in its headers and the cursor in its query, and no body', async () => {
    const { transport, sent } = scripted(ok(deltaAnswer('SLTD', [])), true);
    const signal = new AbortController().signal;
    await fetchSnapshot(transport, {
      source: 'SLTD',
      since: 'djE6/+=x',
      context: { ...context, locationId: 'UTO-LANE-3' },
      timeoutMs: 1234,
      idleTimeoutMs: 5678,
      signal,
      requestId: 'req-7',
      headers: { 'user-agent': 'borderlink/test', 'x-request-id': 'not-this-one' },
    });
    expect(sent).toEqual([
      {
        method: 'GET',
        path: '/v1/snapshots/SLTD?since=djE6%2F%2B%3Dx',
        headers: {
          'user-agent': 'borderlink/test',
          'x-request-id': 'req-7',
          'x-authority-id': 'UTO-POLICE',
          'x-operator-id': 'officer-0042',
          'x-purpose': 'TEST',
          'x-location-id': 'UTO-LANE-3',
        },
        timeoutMs: 1234,
        idleTimeoutMs: 5678,
        signal,
      },
    ]);
  });

  it('refuses a context without an operator before anything is sent, naming the field (rule 4)', async () => {
    const { transport, sent } = scripted(ok(''), true);
    const err = await failure(fetchSnapshot(transport, { source: 'SLTD', context: { ...context, operatorId: undefined } as never, timeoutMs: 1000 }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues).toEqual([{ path: 'context.operatorId', message: 'is required' }]);
    expect(sent).toEqual([]);
  });

  it('refuses a source that is not one, and a since that is not a cursor, before anything is sent', async () => {
    const { transport, sent } = scripted(ok(''), true);
    const bad = await failure(fetchSnapshot(transport, { source: 'SLTDX' as never, context, timeoutMs: 1000 }));
    expect((bad as InputError).issues).toEqual([{ path: 'source', message: 'must be a source' }]);
    for (const since of ['', 'a cursor', 'x'.repeat(1025), 7]) {
      const err = await failure(fetchSnapshot(transport, { source: 'SLTD', since: since as string, context, timeoutMs: 1000 }));
      expect((err as InputError).issues, String(since)).toEqual([{ path: 'since', message: 'must be a cursor a snapshot answer gave' }]);
    }
    expect(sent).toEqual([]);
  });

  it('gives the typed error decode gives for every other status, the answer read whole', async () => {
    const cases: [number, string, new (...args: never[]) => Error][] = [
      [400, 'INVALID_REQUEST', InputError],
      [401, 'UNAUTHENTICATED', AuthenticationError],
      [403, 'FORBIDDEN', PermissionError],
      [404, 'NOT_FOUND', NotFoundError],
      [429, 'RATE_LIMITED', RateLimitError],
      [500, 'INTERNAL', GatewayError],
      [503, 'UPSTREAM_UNAVAILABLE', GatewayError],
      [504, 'UPSTREAM_TIMEOUT', GatewayError],
    ];
    for (const [status, code, type] of cases) {
      const answer = { status, headers: { 'retry-after-ms': '250' }, body: errorBody(code) };
      const { transport } = scripted(answer, true);
      const err = await failure(fetchSnapshot(transport, { source: 'NOMINAL', context, timeoutMs: 1000, requestId: 'req-3' }));
      const expected = errorFromResponse(answer, true, { requestId: 'req-3' });
      expect(err, String(status)).toBeInstanceOf(type);
      expect({ ...(err as object), message: (err as Error).message }, String(status)).toEqual({ ...expected, message: expected.message });
    }
  });

  it('gives a 410 to a full request as an unexpected status, not as cursor-expired', async () => {
    const { transport } = scripted({ status: 410, headers: {}, body: errorBody('SNAPSHOT_CURSOR_EXPIRED') }, true);
    const err = await failure(fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 1000 }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'GATEWAY_ERROR', status: 410, retryable: false });
  });

  it('puts the request id on what the transport throws, and on what the reader throws', async () => {
    const failing: Transport = {
      endpoint: 'test://',
      send: () => Promise.reject(new ConnectionError('refused')),
      close: async () => {},
    };
    const refused = await failure(fetchSnapshot(failing, { source: 'SLTD', context, timeoutMs: 1000, requestId: 'req-4' }));
    expect(refused).toMatchObject({ code: 'CONNECTION_FAILED', requestId: 'req-4' });
    const { transport } = scripted(ok('{"op":"upsert"'), true);
    const fetched = await fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 1000, requestId: 'req-5' });
    if (fetched.kind !== 'snapshot') throw new Error('expected a snapshot');
    const cut = await failure(readAll(fetched.lines));
    expect(cut).toBeInstanceOf(ProtocolError);
    expect(cut).toMatchObject({ requestId: 'req-5', status: 200, retryable: true });
  });
});
