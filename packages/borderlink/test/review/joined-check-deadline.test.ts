// A check that joins an identical one in flight keeps its own deadline and its own abort; close() settles every
// call in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, createClient, TimeoutError, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import type { Transport } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'X7654321', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

/** Settles in the order the promises settle: the labels, in that order. */
async function settleOrder(entries: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(Object.entries(entries).map(([name, p]) => p.then(() => order.push(name), () => order.push(name))));
  return order;
}

describe('a check that joins an identical one in flight', () => {
  it('keeps its own short deadline: a 300 ms lane check does not wait for a 10 s one', async () => {
    const transport = mockTransport({ latencyMs: 1200 });
    const client = createClient({ transport, context, retry: false });
    clients.push(client);
    const long = client.checkDocument(document, { timeoutMs: 10_000 });
    const short = client.checkDocument(document, { timeoutMs: 300 });
    const shortError = short.catch((e: unknown) => e);
    expect(await settleOrder({ long, short })).toEqual(['short', 'long']);
    expect(await shortError).toBeInstanceOf(TimeoutError);
    expect(await long).toMatchObject({ verdict: 'NO_HIT' });
    expect(transport.requests).toHaveLength(1);
  });

  it('keeps its own long deadline: a 10 s check does not fail with a 300 ms one it met in flight', async () => {
    const transport = mockTransport({ latencyMs: 800 });
    const client = createClient({ transport, context, retry: false });
    clients.push(client);
    const short = client.checkDocument(document, { timeoutMs: 300 });
    const long = client.checkDocument(document, { timeoutMs: 10_000 });
    await expect(short).rejects.toBeInstanceOf(TimeoutError);
    await expect(long).resolves.toMatchObject({ verdict: 'NO_HIT' });
  });

  it('keeps its own abort: aborting the joiner leaves the first caller its answer', async () => {
    const transport = mockTransport({ latencyMs: 200 });
    const client = createClient({ transport, context, retry: false });
    clients.push(client);
    const controller = new AbortController();
    const first = client.checkDocument(document, { timeoutMs: 5000 });
    const joiner = client.checkDocument(document, { timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    await expect(joiner).rejects.toBeInstanceOf(AbortError);
    await expect(first).resolves.toMatchObject({ verdict: 'NO_HIT' });
  });
});

describe('close()', () => {
  it('settles every call in flight with a typed error, even over a transport that never answers', async () => {
    const never: Transport = { endpoint: 'test://never', send: () => new Promise(() => {}), close: () => Promise.resolve() };
    const client = createClient({ transport: never, context, timeoutMs: 600_000, attemptTimeoutMs: 600_000 });
    const calls = [
      client.checkDocument(document),
      client.checkPerson({ surname: 'ERIKSSON' }),
      client.reportDocument({ documentNumber: 'AB1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' }),
    ].map((p) => p.catch((e: unknown) => e));
    await client.close();
    const errors = await Promise.all(calls);
    for (const error of errors) expect(error).toBeInstanceOf(AbortError);
    // A write ended this way may have been stored: the error says so, and under which key to retry.
    expect(errors[2]).toMatchObject({ mayHaveBeenStored: true, idempotencyKey: expect.any(String) });
  });

  it('refuses calls made after it, and batches still running end', async () => {
    const never: Transport = { endpoint: 'test://never', send: () => new Promise(() => {}), close: () => Promise.resolve() };
    const client = createClient({ transport: never, context, timeoutMs: 600_000 });
    const rows = (async () => {
      const out = [];
      for await (const row of client.checkMany([{ id: 'a', subjects: [{ kind: 'document', ...document }] }])) out.push(row);
      return out;
    })();
    await new Promise((r) => setTimeout(r, 20));
    await client.close();
    expect((await rows)[0]?.error).toBeInstanceOf(AbortError);
    await expect(client.checkDocument(document)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('a shared failure', () => {
  it('reaches each joined caller as its own error object, of the same class and code', async () => {
    const transport = mockTransport({ latencyMs: 50, faults: [{ type: 'status', status: 503 }] });
    const client = createClient({ transport, context, retry: false });
    clients.push(client);
    const [a, b] = await Promise.all([
      client.checkDocument(document).catch((e: unknown) => e as Error),
      client.checkDocument(document).catch((e: unknown) => e as Error),
    ]);
    expect(transport.requests).toHaveLength(1);
    expect(a).not.toBe(b);
    for (const e of [a, b]) expect(e).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', name: 'GatewayError' });
    expect(b).toBeInstanceOf(Error);
    (b as { durationMs?: number }).durationMs = -1;
    expect((a as { durationMs?: number }).durationMs).not.toBe(-1);
  });
});
