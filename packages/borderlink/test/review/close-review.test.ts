// close() settles every call in flight, and then ends: a gateway that never answers must not hold a shutting-down
// lane application until an attempt timeout of tens of seconds, once no caller is waiting for that answer.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, createClient, httpTransport } from 'borderlink';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('close()', () => {
  it('ends without waiting for an answer the gateway never sends, once the calls in flight are settled', async () => {
    const held: ServerResponse[] = [];
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const server = createServer((req, res) => {
      req.resume();
      held.push(res);
      received();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const res of held) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const client = createClient({
      transport: httpTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
      context,
      timeoutMs: 120_000,
      attemptTimeoutMs: 120_000,
      retry: false,
    });
    const call = client.checkDocument({ documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' }).catch((e: unknown) => e);
    await arrived;
    await client.close();
    expect(await call).toBeInstanceOf(AbortError);
  }, 10_000);
});
