// Rule 2: no personal data in logs, errors or audit events unless the integrator opts in. These tests run calls that
// succeed and calls that fail every way we know, with every log level on, and search everything that came out.
import { afterEach, describe, expect, it } from 'vitest';
import { TRANSPORT_SECRETS, createClient, type AuditEvent, type BorderlinkClient, type Logger } from 'borderlink';
import { mockTransport, type Fault } from 'borderlink/testing';
import { createLevelledLogger } from '../../src/logging/logger';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const person = { surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22', nationality: 'UTO' };
const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const vehicle = { vin: 'WVWZZZ1JZXW000001' };
const plate = { plate: 'AB-123 CD', registrationCountry: 'UTO' };
const secrets = ['L898902C3', 'STORGAARD', 'NILS', '1968-03-22', 'WVWZZZ1JZXW000001', 'AB-123 CD', 'AB 123 CD'];
const token = 's3cr3t-token-value';

function capture() {
  const lines: string[] = [];
  const sink = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { error: sink('error'), warn: sink('warn'), info: sink('info'), debug: sink('debug') };
  return { lines, logger };
}

function serialiseError(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  return [e.message, e.stack, JSON.stringify(e), String(e.cause), JSON.stringify(e.cause ?? null)].join('\n');
}

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('personal data stays out of logs, errors and audit events', () => {
  const faults: Fault[] = [
    { type: 'none' },
    { type: 'status', status: 400 },
    { type: 'status', status: 401 },
    { type: 'status', status: 403 },
    { type: 'status', status: 500 },
    { type: 'status', status: 503, retryAfter: 0 },
    { type: 'malformed' },
    { type: 'truncated' },
    { type: 'off-schema' },
    { type: 'reset' },
    { type: 'unavailable' },
  ];

  it.each(faults.map((f) => [f.type + ('status' in f ? ` ${f.status}` : ''), f] as const))('with fault %s', async (_name, fault) => {
    const { lines, logger } = capture();
    const events: AuditEvent[] = [];
    const transport = mockTransport({ faults: { random: { rate: 1, faults: [fault] } }, token });
    Object.defineProperty(transport, TRANSPORT_SECRETS, { value: [token] });
    const client = createClient({ transport, context, logLevel: 'debug', logger, onAudit: (e) => events.push(e), retry: false });
    clients.push(client);
    const errors: unknown[] = [];
    for (const call of [
      () => client.checkDocument(document),
      () => client.checkPerson(person),
      () => client.checkVehicle(vehicle),
      () => client.checkVehicle(plate),
      () => client.check({ subjects: [{ kind: 'document', ...document }, { kind: 'person', ...person }] }),
      () => client.reportDocument({ ...document, status: 'STOLEN', incidentDate: '1968-03-22' }),
    ]) {
      await call().catch((e: unknown) => errors.push(e));
    }
    const text = [...lines, ...errors.map(serialiseError), JSON.stringify(events)].join('\n');
    for (const secret of [...secrets, token]) expect(text).not.toContain(secret);
    expect(events).toHaveLength(6);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('keeps values out of input errors', async () => {
    const { lines, logger } = capture();
    const client = createClient({ transport: mockTransport(), context, logLevel: 'debug', logger });
    clients.push(client);
    const bad = { surname: 'STORGAARD', givenNames: ['NILS'], dateOfBirth: '1968-02-30' };
    const err = await client.checkPerson(bad).catch((e: unknown) => e);
    const text = serialiseError(err) + lines.join('\n');
    for (const value of ['STORGAARD', '1968-02-30']) expect(text).not.toContain(value);
  });

  it('puts the searched values in audit events only when the integrator opts in', async () => {
    const events: AuditEvent[] = [];
    const client = createClient({
      transport: mockTransport(),
      context,
      onAudit: (e) => events.push(e),
      privacy: { includePersonalData: true },
    });
    clients.push(client);
    await client.checkPerson(person);
    expect(events[0]?.subjects[0]?.values).toMatchObject({ kind: 'person', surname: 'STORGAARD' });
  });
});

describe('the logger', () => {
  it('redacts listed secrets from any field of a log line', () => {
    const { lines, logger } = capture();
    const log = createLevelledLogger('debug', logger, [token]);
    log.log('warn', 'call failed', { cause: `Bearer ${token} refused`, nested: { header: token } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(token);
    expect(lines[0]).toContain('[redacted]');
  });

  it('writes nothing at level off, and only up to the level set', () => {
    const { lines, logger } = capture();
    createLevelledLogger('off', logger, []).log('error', 'x');
    const warn = createLevelledLogger('warn', logger, []);
    warn.log('info', 'y');
    warn.log('warn', 'z');
    expect(lines).toEqual(['warn borderlink: z {}']);
  });

  it('lists the httpTransport token as a secret without exposing it as a field', async () => {
    const { httpTransport } = await import('../../src/index');
    const transport = httpTransport({ baseUrl: 'http://127.0.0.1:9', token });
    expect(Object.keys(transport)).not.toContain('token');
    expect((transport as never)[TRANSPORT_SECRETS]).toEqual([token]);
    expect(JSON.stringify(transport)).not.toContain(token);
    await transport.close();
  });
});

describe('the audit event', () => {
  it('says who, for which authority, why, what kind and with what result', async () => {
    const events: AuditEvent[] = [];
    const client = createClient({ transport: mockTransport(), context: { ...context, locationId: 'UTO-PORT' }, onAudit: (e) => events.push(e) });
    clients.push(client);
    const result = await client.checkDocument(document);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      requestId: result.requestId,
      action: 'CHECK',
      authorityId: 'UTO-POLICE',
      operatorId: 'officer-0042',
      purpose: 'BORDER_CHECK',
      locationId: 'UTO-PORT',
      sources: ['SLTD', 'TDAWN'],
      verdict: 'HIT',
      outcome: 'OK',
      hitIds: result.hits.map((h) => h.hitId),
      attempts: 1,
      servedFrom: 'network',
    });
    expect(events[0]?.subjects).toEqual([{ kind: 'document', hash: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect(Date.parse(events[0]!.at)).not.toBeNaN();
  });

  it('hashes the same subject the same way under the same key, and differently under another', async () => {
    const hashes = async (hashKey: string) => {
      const events: AuditEvent[] = [];
      const client = createClient({ transport: mockTransport(), context, onAudit: (e) => events.push(e), privacy: { hashKey } });
      clients.push(client);
      await client.checkDocument(document);
      await client.checkDocument({ ...document, documentNumber: ' l898902c3 ' });
      return events.map((e) => e.subjects[0]?.hash);
    };
    const [a1, a2] = await hashes('key-a-0123456789abcdef');
    const [b1] = await hashes('key-b-0123456789abcdef');
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b1);
  });

  it('records failed calls with their error code', async () => {
    const events: AuditEvent[] = [];
    const client = createClient({
      transport: mockTransport({ faults: [{ type: 'status', status: 403 }] }),
      context,
      onAudit: (e) => events.push(e),
    });
    clients.push(client);
    await client.checkDocument(document).catch(() => undefined);
    expect(events[0]).toMatchObject({ action: 'CHECK', outcome: 'FORBIDDEN', hitIds: [] });
    expect(events[0]).not.toHaveProperty('verdict');
  });

  it('records reports and withdrawals with the record id', async () => {
    const events: AuditEvent[] = [];
    const client = createClient({ transport: mockTransport(), context, onAudit: (e) => events.push(e) });
    clients.push(client);
    const report = await client.reportDocument({ documentNumber: 'UT1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' });
    await client.withdrawReport({ recordId: report.recordId, reason: 'RECOVERED' });
    expect(events.map((e) => [e.action, e.recordId, e.outcome])).toEqual([
      ['REPORT', report.recordId, 'OK'],
      ['WITHDRAW', report.recordId, 'OK'],
    ]);
  });

  it('survives an audit sink that throws', async () => {
    const client = createClient({ transport: mockTransport(), context, onAudit: () => { throw new Error('disk full'); } });
    clients.push(client);
    await expect(client.checkDocument(document)).resolves.toMatchObject({ verdict: 'HIT' });
  });
});
