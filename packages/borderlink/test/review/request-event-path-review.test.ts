// Listeners of `client.on('request')` and subscribers of the diagnostics channel got the path as sent, record, hit and
// confirmation ids in it (gateway text), while the debug log named the path's template. One place now says what a
// request event holds, for every consumer: the template (the event's requestId leads to the call's audit event, which
// holds those ids as audit events hold them).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type RequestEvent } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

const published: unknown[] = [];
const onPublish = (message: unknown) => void published.push(message);
afterEach(() => {
  unsubscribe('borderlink:request', onPublish);
  published.length = 0;
});

describe('request events', () => {
  it('name the path by its template on the listeners, the diagnostics channel and the debug log alike', async () => {
    subscribe('borderlink:request', onPublish);
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const sink = (m: string, f?: Record<string, unknown>) => void lines.push([m, f]);
    const client = createClient({ transport: mockTransport(), context, logLevel: 'debug', logger: { error: sink, warn: sink, info: sink, debug: sink } });
    const heard: RequestEvent[] = [];
    client.on('request', (e) => heard.push(e));
    const { hits } = await client.checkDocument(specimen);
    await client.fetchRecord(hits[0]!);
    const confirmation = await client.requestConfirmation(hits[0]!, { priority: 'URGENT', reason: 'Held at lane 7' });
    await confirmation.refresh();
    const report = await client.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' });
    await client.withdrawReport({ recordId: report.recordId, reason: 'RECOVERED' });
    await client.close();
    const templates = [
      '/v1/checks',
      '/v1/records/{source}/{recordId}',
      '/v1/hits/{hitId}/confirmation-requests',
      '/v1/confirmation-requests/{confirmationId}',
      '/v1/reports/documents',
      '/v1/reports/documents/{recordId}/withdrawal',
    ];
    expect(heard.map((e) => e.path)).toEqual(templates);
    expect(published.map((e) => (e as RequestEvent).path)).toEqual(templates);
    expect(lines.filter(([m]) => m === 'borderlink: request').map(([, f]) => f?.path)).toEqual(templates);
    const everything = JSON.stringify([heard, published]);
    for (const id of [hits[0]!.recordId, hits[0]!.hitId, confirmation.confirmationId, report.recordId]) expect(everything).not.toContain(id);
  });
});
