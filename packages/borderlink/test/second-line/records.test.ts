// Full records over real sockets: one per kind from the mock gateway, a purpose refused, a hostile gateway's odd
// fields read around and its wrong record refused, and nothing of a record in the audit trail or the log.
import { describe, expect, it } from 'vitest';
import { InputError, PermissionError, ProtocolError, createClient, httpTransport, type AuditEvent } from 'borderlink';
import { startHostileGateway } from '../hostile/server';
import { PERSONAL, connect, context, hitOf, startGateway } from './helpers';

describe('fetchRecord against the mock gateway', () => {
  it('reads the full record of an SLTD hit: the document, who reported it, and its history', async () => {
    const { client } = connect(await startGateway());
    const hit = await hitOf(client, 'SLTD');
    const { record, warnings, attempts } = await client.fetchRecord(hit);
    expect(warnings).toEqual([]);
    expect(attempts).toBe(1);
    expect(record).toEqual({
      source: 'SLTD',
      recordId: 'SLTD-UTO-0001',
      ownerCountry: 'UTO',
      actionToBeTaken: 'SEIZE_DOCUMENT',
      document: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN_BLANK', incidentDate: '2023-03-14', incidentCountry: 'UTO' },
      reportingAuthority: 'UTO-PASSPORT-OFFICE',
      authorityReference: 'UTO-PO-2023-00314',
      history: [
        { at: '2023-03-15T08:12:00Z', event: 'REPORTED', status: 'STOLEN', authority: 'UTO-PASSPORT-OFFICE' },
        { at: '2023-03-20T14:05:00Z', event: 'STATUS_CHANGED', status: 'STOLEN_BLANK', authority: 'UTO-PASSPORT-OFFICE' },
      ],
    });
  });

  it('reads the notice in full for a TDAWN and a NOMINAL hit: aliases, description, languages, dates', async () => {
    const { client } = connect(await startGateway());
    for (const source of ['TDAWN', 'NOMINAL'] as const) {
      const { record, warnings } = await client.fetchRecord(await hitOf(client, source));
      expect(warnings, source).toEqual([]);
      expect(record.source).toBe(source);
      if (record.source !== 'TDAWN' && record.source !== 'NOMINAL') throw new Error('narrowed above');
      expect(record.notice, source).toEqual({
        type: 'RED',
        reference: 'A-1207/3-2024',
        requestingCountry: 'UTO',
        charges: ['ARMED ROBBERY'],
        aliases: ['STORGARD, NILS', 'STORGAARD, ERIK'],
        physicalDescription: 'Height 182 cm, grey eyes, scar above the left eyebrow',
        languages: ['UTO', 'ENG'],
        publishedAt: '2024-03-07',
        expiresAt: '2029-03-07',
      });
    }
    const person = await client.fetchRecord({ source: 'NOMINAL', recordId: 'NOMINAL-UTO-0001' });
    expect(person.record).toMatchObject({ person: { surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22', nationalities: ['UTO'] } });
  });

  it("reads an SMV vehicle's full description", async () => {
    const { client } = connect(await startGateway());
    const { record } = await client.fetchRecord(await hitOf(client, 'SMV'));
    expect(record).toEqual({
      source: 'SMV',
      recordId: 'SMV-UTO-0001',
      ownerCountry: 'UTO',
      actionToBeTaken: 'SEIZE_VEHICLE',
      vehicle: {
        vin: 'WVWZZZ1JZXW000001',
        plate: 'AB-123 CD',
        make: 'VOLKSWAGEN',
        model: 'GOLF',
        colour: 'BLACK',
        theftDate: '2024-11-02',
        registrationCountry: 'UTO',
        manufactureYear: '2019',
        bodyType: 'HATCHBACK',
        engineNumber: 'CJZ-448812',
        description: 'Roof rack; dent in the rear bumper, left side',
      },
    });
  });

  it('gives a reported document a history of its report, and of its withdrawal', async () => {
    const { client } = connect(await startGateway());
    const stored = await client.reportDocument({ documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', nationalReference: 'UTO-2026-000815' });
    await client.withdrawReport({ recordId: stored.recordId, reason: 'RECOVERED' });
    const { record } = await client.fetchRecord({ source: 'SLTD', recordId: stored.recordId });
    expect(record).toMatchObject({ reportingAuthority: context.authorityId, authorityReference: 'UTO-2026-000815' });
    expect(record.source === 'SLTD' && record.history?.map((h) => h.event)).toEqual(['REPORTED', 'WITHDRAWN']);
  });

  it('refuses a full record to a BORDER_CHECK with a PermissionError that says why, sent once', async () => {
    const gateway = await startGateway();
    const { client, audit } = connect(gateway, { context: { ...context, purpose: 'BORDER_CHECK' } });
    const hit = await hitOf(client, 'SLTD');
    const err = await client.fetchRecord(hit).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).toMatchObject({ code: 'PURPOSE_NOT_ALLOWED', status: 403, attempts: 1, retryable: false });
    expect((err as Error).message).toBe(
      'The gateway does not give full records for purpose BORDER_CHECK (PURPOSE_NOT_ALLOWED): read them with the purpose the work has, such as SECOND_LINE or INVESTIGATION (context.purpose)',
    );
    expect(gateway.requests.filter((r) => r.path.startsWith('/v1/records/'))).toHaveLength(1);
    expect(audit.at(-1)).toMatchObject({ action: 'RECORD', purpose: 'BORDER_CHECK', outcome: 'PURPOSE_NOT_ALLOWED', recordId: 'SLTD-UTO-0001', hitIds: [hit.hitId] });
    // The same record for the purpose the work has.
    await expect(client.fetchRecord(hit, { context: { purpose: 'SECOND_LINE' } })).resolves.toMatchObject({ record: { recordId: 'SLTD-UTO-0001' } });
  });

  it('sends the context in the headers of the GET, and refuses a record unknown to the gateway with a NotFoundError', async () => {
    const gateway = await startGateway();
    const { client } = connect(gateway);
    await expect(client.fetchRecord({ source: 'SMV', recordId: 'SMV-NOWHERE-1' })).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const sent = gateway.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'GET', path: '/v1/records/SMV/SMV-NOWHERE-1' });
    expect(sent.headers).toMatchObject({ 'x-authority-id': context.authorityId, 'x-operator-id': context.operatorId, 'x-purpose': 'SECOND_LINE', 'x-location-id': context.locationId });
  });

  it('refuses a record to read that is not one before anything is sent, naming the field', async () => {
    const gateway = await startGateway();
    const { client } = connect(gateway);
    const err = await client.fetchRecord({ source: 'XYZ', recordId: '' } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues.map((i) => i.path)).toEqual(['source', 'recordId']);
    await expect(client.fetchRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0001' }, { sources: ['SLTD'] } as never)).rejects.toThrow('fetchRecord: option `sources` is not known');
    expect(gateway.requests).toHaveLength(0);
  });

  it('audits a record read with keyed hashes only, and logs none of its fields', async () => {
    const lines: unknown[] = [];
    const logger = { error: (...a: unknown[]) => lines.push(a), warn: (...a: unknown[]) => lines.push(a), info: (...a: unknown[]) => lines.push(a), debug: (...a: unknown[]) => lines.push(a) };
    const { client, audit } = connect(await startGateway(), { logLevel: 'debug', logger });
    const hit = await hitOf(client, 'NOMINAL');
    lines.length = 0;
    audit.length = 0;
    await client.fetchRecord(hit);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'RECORD',
        authorityId: context.authorityId,
        operatorId: context.operatorId,
        purpose: 'SECOND_LINE',
        locationId: context.locationId,
        subjects: [],
        sources: ['NOMINAL'],
        recordId: 'NOMINAL-UTO-0001',
        hitIds: [hit.hitId],
        outcome: 'OK',
      }) satisfies AuditEvent,
    ]);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toMatch(PERSONAL);
    expect(JSON.stringify(lines)).not.toContain('NOMINAL-UTO-0001');
    expect(JSON.stringify(audit)).not.toMatch(PERSONAL);
  });
});

describe('fetchRecord against a gateway that breaks the protocol', () => {
  const record = {
    source: 'NOMINAL',
    recordId: 'NOMINAL-X-1',
    ownerCountry: 'UTO',
    person: { surname: 'DOE', givenNames: ['JANE'], dateOfBirth: '1980-01-01', nationalities: ['UTO'] },
    notice: { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO' },
  };

  async function hostile(body: unknown) {
    const gateway = await startHostileGateway();
    gateway.answer(() => ({ status: 200, body: JSON.stringify(body) }));
    const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, retry: { retries: 0 } });
    return {
      read: () => client.fetchRecord({ source: 'NOMINAL', recordId: 'NOMINAL-X-1' }),
      close: async () => {
        await client.close();
        await gateway.close();
      },
    };
  }

  it('keeps a record whose descriptive fields are odd, with a warning at each', async () => {
    const g = await hostile({
      ...record,
      notice: { ...record.notice, type: 'MAGENTA', physicalDescription: 12, aliases: ['A', 7], languages: 'UTO', expiresAt: 'x'.repeat(1001) },
      person: 'not an object',
      unknownField: { ignored: true },
    });
    try {
      const { record: read, warnings } = await g.read();
      expect(read).toEqual({ source: 'NOMINAL', recordId: 'NOMINAL-X-1', ownerCountry: 'UTO', notice: { type: 'MAGENTA', reference: 'A-1/2026', requestingCountry: 'UTO', aliases: ['A'] } });
      expect(warnings.map((w) => w.path)).toEqual([
        'person',
        'notice.type',
        'notice.aliases.1',
        'notice.physicalDescription',
        'notice.languages',
        'notice.expiresAt',
      ]);
    } finally {
      await g.close();
    }
  });

  for (const [what, body, path] of [
    ['of another record', { ...record, recordId: 'NOMINAL-X-2' }, 'recordId'],
    ['of another source', { ...record, source: 'SLTD' }, 'source'],
    ['without a recordId', { ...record, recordId: undefined }, 'recordId'],
    ['that is not an object', [record], '(root)'],
  ] as const) {
    it(`refuses an answer ${what} with a ProtocolError, never showing it as the record asked for`, async () => {
      const g = await hostile(body);
      try {
        const err = await g.read().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProtocolError);
        expect((err as ProtocolError).issues).toEqual([{ path, message: expect.any(String) }]);
        expect((err as ProtocolError).message).not.toMatch(/NOMINAL-X-2|DOE/);
      } finally {
        await g.close();
      }
    });
  }
});


