// What an operator's monitoring sees: client events and node:diagnostics_channel, without personal data.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BorderlinkClient, type ClientEvent } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('observability', () => {
  it('publishes request, response and retry on diagnostics channels, with ids and codes only', async () => {
    const seen: { name: string; message: unknown }[] = [];
    const names = ['borderlink:request', 'borderlink:response', 'borderlink:retry'];
    const handlers = names.map((name) => {
      const handler = (message: unknown) => seen.push({ name, message });
      subscribe(name, handler);
      return [name, handler] as const;
    });
    try {
      const client = createClient({
        transport: mockTransport({ faults: [{ type: 'status', status: 503 }] }),
        context,
        retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
      });
      clients.push(client);
      const result = await client.checkDocument(specimen);
      expect(seen.map((s) => s.name)).toEqual([
        'borderlink:request',
        'borderlink:response',
        'borderlink:retry',
        'borderlink:request',
        'borderlink:response',
      ]);
      expect(seen[0]?.message).toMatchObject({ type: 'request', requestId: result.requestId, attempt: 1, method: 'POST', path: '/v1/checks' });
      expect(seen[1]?.message).toMatchObject({ type: 'response', status: 503 });
      expect(seen[2]?.message).toMatchObject({ type: 'retry', errorCode: 'UPSTREAM_UNAVAILABLE', attempt: 1 });
      expect(JSON.stringify(seen)).not.toMatch(/L898902C3|officer-0042/);
    } finally {
      for (const [name, handler] of handlers) unsubscribe(name, handler);
    }
  });

  it('gives the same events to client.on listeners, and a throwing listener does not fail the check', async () => {
    const client = createClient({ transport: mockTransport(), context });
    clients.push(client);
    const events: ClientEvent[] = [];
    const off = client.on('response', (e) => events.push(e));
    client.on('request', () => {
      throw new Error('listener bug');
    });
    await expect(client.checkDocument(specimen)).resolves.toMatchObject({ verdict: 'HIT' });
    off();
    await client.checkDocument(specimen);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'response', status: 200, attempt: 1 });
  });
});
