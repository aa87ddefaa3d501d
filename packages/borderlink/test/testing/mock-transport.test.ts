import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, ConfigError, ConnectionError, TimeoutError } from 'borderlink';
import type { TransportRequest } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { checkBody, context, parseCheck, passport } from './helpers';

const checkRequest = (overrides: Partial<TransportRequest> = {}): TransportRequest => ({
  method: 'POST',
  path: '/v1/checks',
  headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
  body: JSON.stringify(checkBody([passport])),
  timeoutMs: 1000,
  ...overrides,
});
const reportRequest = (key: string): TransportRequest => ({
  method: 'POST',
  path: '/v1/reports/documents',
  headers: { 'content-type': 'application/json', 'idempotency-key': key },
  body: JSON.stringify({ context, report: { documentNumber: 'UA1', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } }),
  timeoutMs: 1000,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('mockTransport', () => {
  it('answers in-process with endpoint mock://gateway and records the parsed request', async () => {
    const transport = mockTransport();
    expect(transport.endpoint).toBe('mock://gateway');
    const res = await transport.send(checkRequest());
    expect(parseCheck(res).items[0]!.outcomes[0]!.status).toBe('HIT');
    expect(transport.requests).toMatchObject([{ method: 'POST', path: '/v1/checks', headers: { 'x-request-id': 'req-1' }, body: checkBody([passport]) }]);
  });

  it('rejects with a TimeoutError (scope attempt) when timeoutMs passes first', async () => {
    vi.useFakeTimers();
    const transport = mockTransport({ latencyMs: 500 });
    const pending = transport.send(checkRequest({ timeoutMs: 100 }));
    const caught = pending.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const err = await caught;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'TIMEOUT', scope: 'attempt' });
  });

  it('answers after latencyMs when it is within timeoutMs', async () => {
    vi.useFakeTimers();
    const transport = mockTransport({ latencyMs: 200 });
    const pending = transport.send(checkRequest({ timeoutMs: 300 }));
    await vi.advanceTimersByTimeAsync(200);
    expect((await pending).status).toBe(200);
  });

  it('rejects with the signal’s reason when aborted, and with an AbortError when it has none', async () => {
    const transport = mockTransport({ latencyMs: 1000 });
    const controller = new AbortController();
    const pending = transport.send(checkRequest({ signal: controller.signal }));
    const reason = new Error('hedged attempt won');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const already = AbortSignal.abort();
    await expect(transport.send(checkRequest({ signal: already }))).rejects.toBe(already.reason);
    const fake = { aborted: true, reason: undefined, addEventListener() {}, removeEventListener() {} } as unknown as AbortSignal;
    await expect(transport.send(checkRequest({ signal: fake }))).rejects.toBeInstanceOf(AbortError);
  });

  it('leaves a write unprocessed when the attempt times out during a delay', async () => {
    const transport = mockTransport({ faults: [{ type: 'delay', ms: 200 }] });
    await expect(transport.send({ ...reportRequest('key-k-0001'), timeoutMs: 20 })).rejects.toBeInstanceOf(TimeoutError);
    await new Promise((r) => setTimeout(r, 250));
    expect(transport.reports).toHaveLength(0);
  });

  it('rejects a reset with a ConnectionError, without processing the request', async () => {
    const transport = mockTransport({ faults: [{ type: 'reset' }] });
    await expect(transport.send(reportRequest('key-k-0001'))).rejects.toBeInstanceOf(ConnectionError);
    expect(transport.reports).toHaveLength(0);
  });

  it('lost-response: stored, then a ConnectionError; the retry with the same key replays', async () => {
    const transport = mockTransport({ faults: [{ type: 'lost-response' }] });
    await expect(transport.send(reportRequest('key-k-0001'))).rejects.toBeInstanceOf(ConnectionError);
    expect(transport.reports).toHaveLength(1);
    const retry = await transport.send(reportRequest('key-k-0001'));
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(retry.body).recordId).toBe(transport.reports[0]!.recordId);
    expect(transport.reports).toHaveLength(1);
  });

  it('resolves non-2xx answers rather than rejecting', async () => {
    const transport = mockTransport({ token: 'secret', faults: [{ type: 'status', status: 503, retryAfterMs: 10 }] });
    const res = await transport.send(checkRequest());
    expect(res).toMatchObject({ status: 503, headers: { 'retry-after-ms': '10' } });
    expect((await transport.send(checkRequest())).status).toBe(401);
  });

  it('gives a truncated body as a cut-off 200 in-process', async () => {
    const transport = mockTransport({ faults: [{ type: 'truncated' }] });
    const res = await transport.send(checkRequest());
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body)).toThrow(SyntaxError);
  });

  it('takes a new fault plan with setFaults', async () => {
    const transport = mockTransport();
    transport.setFaults([{ type: 'status', status: 500 }]);
    expect((await transport.send(checkRequest())).status).toBe(500);
    expect((await transport.send(checkRequest())).status).toBe(200);
  });

  it('refuses to send once closed, and refuses unknown options', async () => {
    const transport = mockTransport();
    await transport.close();
    await expect(transport.send(checkRequest())).rejects.toBeInstanceOf(ConnectionError);
    expect(() => mockTransport({ latency: 1 } as never)).toThrow(ConfigError);
  });
});
