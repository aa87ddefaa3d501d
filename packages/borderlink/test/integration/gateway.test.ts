// The client over real sockets: httpTransport against createMockGateway on 127.0.0.1, plain and with mutual TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  GatewayError,
  InputError,
  NotFoundError,
  PermissionError,
  ProtocolError,
  RateLimitError,
  createClient,
  httpTransport,
  type BorderlinkClient,
  type BorderlinkError,
} from 'borderlink';
import { createMockGateway, type Fault, type MockGateway } from 'borderlink/testing';
import { makeCertificates } from '../helpers/certs';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const token = 'gateway-token-123';

let gateway: MockGateway;
let client: BorderlinkClient;

beforeAll(async () => {
  gateway = await createMockGateway({ token });
  client = createClient({
    transport: httpTransport({ baseUrl: gateway.url, token }),
    context,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    breaker: false,
  });
});
afterAll(async () => {
  await client.close();
  await gateway.close();
});

async function failure(fault: Fault, call: () => Promise<unknown> = () => client.checkDocument(specimen)): Promise<BorderlinkError> {
  gateway.setFaults({ random: { rate: 1, faults: [fault] } });
  try {
    await call();
  } catch (err) {
    return err as BorderlinkError;
  } finally {
    gateway.setFaults();
  }
  throw new Error('expected the call to fail');
}

describe('every verdict over HTTP', () => {
  it('HIT for the specimen passport', async () => {
    expect((await client.checkDocument(specimen)).verdict).toBe('HIT');
  });
  it('POSSIBLE_HIT for a near-miss name', async () => {
    expect((await client.checkPerson({ surname: 'STORGARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' })).verdict).toBe('POSSIBLE_HIT');
  });
  it('NO_HIT for an unknown vehicle', async () => {
    expect((await client.checkVehicle({ vin: '1HGCM82633A004352' })).verdict).toBe('NO_HIT');
  });
  it('INCOMPLETE when a source is unavailable', async () => {
    gateway.setFaults([{ type: 'unavailable', sources: ['SLTD'] }]);
    expect((await client.checkDocument({ ...specimen, documentNumber: 'ZZ1' })).verdict).toBe('INCOMPLETE');
  });
});

describe('every error class over HTTP', () => {
  it('401 → AuthenticationError', async () => {
    const bad = createClient({ transport: httpTransport({ baseUrl: gateway.url, token: 'wrong' }), context });
    const err = await bad.checkDocument(specimen).catch((e: unknown) => e);
    await bad.close();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as BorderlinkError).attempts).toBe(1);
  });

  it('403 NOT_ISSUER when reporting a document another state issued', async () => {
    const err = await client.reportDocument({ documentNumber: 'AB1234567', issuingState: 'D', documentType: 'PASSPORT', status: 'LOST' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as PermissionError).code).toBe('NOT_ISSUER');
  });

  it('404 → NotFoundError when withdrawing an unknown record', async () => {
    await expect(client.withdrawReport({ recordId: 'SLTD-NOPE', reason: 'RECOVERED' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('409 → ConflictError when an idempotency key is reused with another body', async () => {
    const key = 'report-key-409-0001';
    await client.reportDocument({ documentNumber: 'UT4090001', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' }, { idempotencyKey: key });
    const err = await client
      .reportDocument({ documentNumber: 'UT4090002', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
  });

  it('413 → InputError TOO_MANY_ITEMS', async () => {
    const err = await failure({ type: 'status', status: 413 });
    expect(err).toBeInstanceOf(InputError);
    expect(err.code).toBe('TOO_MANY_ITEMS');
  });

  it('429 → RateLimitError with retry-after, after the retries', async () => {
    const err = await failure({ type: 'status', status: 429, retryAfterMs: 1 });
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(1);
    expect(err.attempts).toBe(3);
  });

  it.each([500, 502, 503, 504])('%i → GatewayError after the retries', async (status) => {
    const err = await failure({ type: 'status', status });
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.status).toBe(status);
    expect(err.attempts).toBe(3);
  });

  it('a reset connection → ConnectionError after the retries', async () => {
    const err = await failure({ type: 'reset' });
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.attempts).toBe(3);
  });

  it('a malformed body → retryable ProtocolError', async () => {
    const err = await failure({ type: 'malformed' });
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(3);
  });

  it('an outcome off the schema is read around: that source is ERROR, the hit is kept, with a warning', async () => {
    gateway.setFaults({ random: { rate: 1, faults: [{ type: 'off-schema' }] } });
    try {
      const result = await client.checkDocument(specimen);
      expect(result.verdict).toBe('HIT');
      expect(result.outcomes[0]).toEqual({ source: 'SLTD', status: 'ERROR' });
      expect(result.warnings).toContainEqual({ code: 'GATEWAY_DEVIATION', path: 'outcomes.0.status' });
      expect(result.attempts).toBe(1);
    } finally {
      gateway.setFaults();
    }
  });

  it('a write answer off the schema → retryable ProtocolError after the retries, the report stored once', async () => {
    const before = gateway.reports.length;
    const report = { documentNumber: 'UT7000991', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;
    const err = await failure({ type: 'off-schema' }, () => client.reportDocument(report));
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(3);
    expect(gateway.reports.length - before).toBe(1);
  });

  it('every error carries the request id that went on the wire, the same on every attempt', async () => {
    const before = gateway.requests.length;
    const err = await failure({ type: 'status', status: 503 });
    const ids = gateway.requests.slice(before).map((r) => r.headers['x-request-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(err.requestId).toBe(ids[0]);
  });
});

describe('idempotent reports over HTTP', () => {
  it('a replay with the same key gives the same record, stored once', async () => {
    const report = { documentNumber: 'UT7000001', issuingState: 'UTO', documentType: 'ID_CARD', status: 'STOLEN' } as const;
    const first = await client.reportDocument(report, { idempotencyKey: 'replay-key-0001' });
    const again = await client.reportDocument(report, { idempotencyKey: 'replay-key-0001' });
    expect(again.recordId).toBe(first.recordId);
    expect([first.replayed, again.replayed]).toEqual([false, true]);
    expect(gateway.reports.filter((r) => r.recordId === first.recordId)).toHaveLength(1);
    // A reported document is caught by the next check.
    expect((await client.checkDocument({ documentNumber: 'UT7000001', issuingState: 'UTO', documentType: 'ID_CARD' })).verdict).toBe('HIT');
  });

  it('a report whose answer was lost is retried with the same key and stored exactly once', async () => {
    gateway.setFaults([{ type: 'lost-response' }]);
    const before = gateway.requests.length;
    const result = await client.reportDocument({ documentNumber: 'UT7000002', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' });
    const sent = gateway.requests.slice(before);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(result).toMatchObject({ attempts: 2, replayed: true });
    expect(gateway.reports.filter((r) => r.recordId === result.recordId)).toHaveLength(1);
  });

  it('a withdrawn report no longer hits', async () => {
    const doc = { documentNumber: 'UT7000003', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
    const { recordId } = await client.reportDocument({ ...doc, status: 'STOLEN' });
    expect((await client.checkDocument(doc)).verdict).toBe('HIT');
    await client.withdrawReport({ recordId, reason: 'RECOVERED' });
    expect((await client.checkDocument(doc)).verdict).toBe('NO_HIT');
  });
});

describe('mutual TLS', () => {
  it('checks over HTTPS with a client certificate, and fails without one', async () => {
    const certs = makeCertificates();
    const tlsGateway = await createMockGateway({
      tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true },
    });
    const withCert = createClient({
      transport: httpTransport({ baseUrl: tlsGateway.url, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } }),
      context,
    });
    const withoutCert = createClient({
      transport: httpTransport({ baseUrl: tlsGateway.url, tls: { ca: certs.ca } }),
      context,
      retry: false,
    });
    try {
      expect(tlsGateway.url).toMatch(/^https:/);
      expect((await withCert.checkDocument(specimen)).verdict).toBe('HIT');
      await expect(withoutCert.checkDocument(specimen)).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      await withCert.close();
      await withoutCert.close();
      await tlsGateway.close();
    }
  });
});
