// An option given as `undefined` is an option not given. The public option types say `?: T | undefined` (so a
// `process.env` value or an unset form field type-checks under exactOptionalPropertyTypes, see test/docs), and here
// the runtime is held to it: every optional key of each options type, given as undefined, changes nothing.
//
// `Unset<T>` lists every optional key of T: an option added to one of these types is added here, or this file does not
// compile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createClient,
  formatMrz,
  httpTransport,
  nameVariants,
  parseMrz,
  subjectsFromMrz,
  TimeoutError,
  transliterateName,
  type BatchingOptions,
  type BatchOptions,
  type BreakerOptions,
  type CacheOptions,
  type CallOptions,
  type ClientOptions,
  type ConfirmationSettings,
  type DocumentQuery,
  type FormatMrzInput,
  type HttpTransportOptions,
  type NameVariantsOptions,
  type OfflineOptions,
  type OutboxOptions,
  type ParseMrzOptions,
  type PersonQuery,
  type PrivacyOptions,
  type ReadOptions,
  type ResilienceOptions,
  type RetryBudgetOptions,
  type RetryOptions,
  type SubjectsFromMrzOptions,
  type TransliterateNameOptions,
  type VehicleQuery,
  type WriteOptions,
} from 'borderlink';
import { openAuditLog, verifyAuditLog, type AuditLogOptions, type VerifyAuditLogOptions } from 'borderlink/audit';
import { formatCusres, parsePaxlst, toBatchItem, type FormatCusresOptions, type ParsePaxlstOptions, type ToBatchItemOptions } from 'borderlink/manifests';
import {
  createMockGateway,
  memoryOfflineStore,
  mockTransport,
  syntheticDataset,
  writePaxlst,
  type MockGatewayOptions,
  type MockTransportOptions,
  type SecondLineOptions,
  type SyntheticDatasetOptions,
  type WritePaxlstOptions,
} from 'borderlink/testing';
import { describe, expect, it } from 'vitest';
import { resolveConfirmationSettings } from '../../src/client/confirmations';
import { resolveResilienceOptions } from '../../src/resilience/options';
import { resolveSecondLine } from '../../src/testing/second-line';

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/** Every optional key of T, as undefined. */
type Unset<T> = { [K in OptionalKeys<T>]-?: undefined };

const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'TEST' } as const;
const vin = 'WVWZZZ1JZXW000001';
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

const unsetRetry: Unset<RetryOptions> = { retries: undefined, minDelayMs: undefined, maxDelayMs: undefined, jitter: undefined };
const unsetBudget: Unset<RetryBudgetOptions> = { capacity: undefined, retryCost: undefined, timeoutCost: undefined, successRefund: undefined };
const unsetBreaker: Unset<BreakerOptions> = { failureThreshold: undefined, openMs: undefined, halfOpenProbes: undefined };
const unsetCache: Unset<CacheOptions> = { max: undefined, hitTtlMs: undefined, noHitTtlMs: undefined };
const unsetResilience: Unset<ResilienceOptions> = {
  timeoutMs: undefined,
  attemptTimeoutMs: undefined,
  retry: undefined,
  retryBudget: undefined,
  breaker: undefined,
  hedgeAfterMs: undefined,
  cache: undefined,
  dedupe: undefined,
  clock: undefined,
  random: undefined,
};
const unsetClient: Unset<ClientOptions> = {
  ...unsetResilience,
  onAudit: undefined,
  logLevel: undefined,
  logger: undefined,
  privacy: undefined,
  batching: undefined,
  outbox: undefined,
  offline: undefined,
  telemetry: undefined,
  confirmations: undefined,
};
const unsetCall: Unset<CallOptions> = { context: undefined, signal: undefined, timeoutMs: undefined, attemptTimeoutMs: undefined, sources: undefined, headers: undefined };

describe('an option given as undefined is an option not given', () => {
  it('a client given every option as undefined resolves and answers as one given none (two 503s are retried by the default retries)', async () => {
    expect(resolveResilienceOptions(unsetResilience)).toEqual(resolveResilienceOptions({}));
    const transport = mockTransport({ faults: [{ type: 'status', status: 503 }, { type: 'status', status: 503 }] });
    const client = createClient({ transport, context: { ...context, locationId: undefined }, ...unsetClient });
    const result = await client.checkVehicle({ vin });
    expect([result.verdict, result.attempts]).toEqual(['HIT', 3]);
    await client.close();
  });

  it('option objects whose every field is undefined resolve as empty ones', async () => {
    const nested = { retry: unsetRetry, retryBudget: unsetBudget, breaker: unsetBreaker, cache: unsetCache };
    expect(resolveResilienceOptions(nested)).toEqual(resolveResilienceOptions({ retry: {}, retryBudget: {}, breaker: {}, cache: {} }));
    const confirmations: Unset<ConfirmationSettings> = { deadlinesMs: undefined, pollIntervalMs: undefined, maxPollIntervalMs: undefined };
    expect(resolveConfirmationSettings({ ...confirmations, deadlinesMs: { URGENT: undefined, ROUTINE: undefined } })).toEqual(resolveConfirmationSettings(undefined));
    const privacy: Unset<PrivacyOptions> = { hashKey: undefined, includePersonalData: undefined };
    const batching: Unset<BatchingOptions> = { maxItems: undefined, maxDelayMs: undefined };
    const store = memoryOfflineStore();
    const offline: Unset<OfflineOptions> = { mode: undefined, maxStalenessMs: undefined, rescreenWindowMs: undefined, syncIntervalMs: undefined, sources: undefined, maxShrink: undefined };
    const outbox: Unset<OutboxOptions> = { flushIntervalMs: undefined };
    const client = createClient({
      transport: mockTransport(),
      context,
      ...nested,
      privacy,
      batching,
      confirmations: { ...confirmations, deadlinesMs: { URGENT: undefined } },
      offline: { store, ...offline },
      outbox: { store: store.outbox, ...outbox },
    });
    expect((await client.checkVehicle({ vin })).verdict).toBe('HIT');
    await client.close();
  });

  it("a call's context that gives a field as undefined keeps the client's value of it", async () => {
    const operators: string[] = [];
    const client = createClient({ transport: mockTransport(), context, onAudit: (e) => operators.push(e.operatorId) });
    const result = await client.checkVehicle({ vin }, { context: { operatorId: undefined, locationId: undefined } });
    expect(result.verdict).toBe('HIT');
    expect(operators).toEqual(['officer-0042']);
    await client.close();
  });

  it('call, read, write and batch options given as undefined are options not given', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context });
    const result = await client.checkVehicle({ vin }, unsetCall);
    expect(result.verdict).toBe('HIT');
    const read: Unset<ReadOptions> = { context: undefined, signal: undefined, timeoutMs: undefined, attemptTimeoutMs: undefined, headers: undefined };
    expect((await client.fetchRecord(result.hits[0]!, read)).record.recordId).toBe(result.hits[0]!.recordId);
    const write: Unset<WriteOptions> = { ...read, idempotencyKey: undefined };
    const report = { documentNumber: 'AB1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } as const;
    expect(await client.reportDocument(report, write)).toMatchObject({ replayed: false });
    const batch: Unset<BatchOptions> = { batchSize: undefined, concurrency: undefined, ordered: undefined, onProgress: undefined, signal: undefined, timeoutMs: undefined, context: undefined, total: undefined, headers: undefined };
    const rows = [];
    for await (const row of client.checkMany([{ id: 'a', subjects: [{ kind: 'vehicle', vin }], sources: undefined }], batch)) rows.push(row);
    expect(rows.map((r) => [r.id, r.result?.verdict])).toEqual([['a', 'HIT']]);
    await client.close();
  });

  it('query fields given as undefined are fields not given: the same request goes out', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context });
    const person = { surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' };
    const unsetPerson: Omit<Unset<PersonQuery>, 'givenNames' | 'dateOfBirth'> = { sex: undefined, nationality: undefined, nameVariants: undefined };
    const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
    const unsetDocument: Unset<DocumentQuery> = { holder: undefined };
    const unsetVehicle: Omit<Unset<VehicleQuery>, 'vin'> = { plate: undefined, registrationCountry: undefined };
    for (const [given, plain] of [
      [() => client.checkPerson({ ...person, ...unsetPerson }), () => client.checkPerson(person)],
      [() => client.checkDocument({ ...document, ...unsetDocument }), () => client.checkDocument(document)],
      [() => client.checkVehicle({ vin, ...unsetVehicle }), () => client.checkVehicle({ vin })],
    ] as const) {
      const a = await given();
      const b = await plain();
      expect(a.verdict).toBe(b.verdict);
      const [sentA, sentB] = transport.requests.slice(-2).map((r) => (r.body as { items: unknown[] }).items);
      expect(sentA).toEqual(sentB);
    }
    await client.close();
  });

  it('httpTransport, mockTransport and createMockGateway take options given as undefined as not given', async () => {
    const gatewayOptions: Unset<MockGatewayOptions> = {
      port: undefined,
      host: undefined,
      dataset: undefined,
      tls: undefined,
      faults: undefined,
      latencyMs: undefined,
      token: undefined,
      secondLine: undefined,
    };
    const gateway = await createMockGateway(gatewayOptions);
    try {
      const http: Unset<HttpTransportOptions> = {
        token: undefined,
        headers: undefined,
        connections: undefined,
        keepAliveTimeoutMs: undefined,
        connectTimeoutMs: undefined,
        tls: undefined,
        maxResponseBytes: undefined,
        dispatcher: undefined,
      };
      const client = createClient({ transport: httpTransport({ baseUrl: gateway.url, ...http }), context });
      expect((await client.checkVehicle({ vin })).verdict).toBe('HIT');
      await client.close();
    } finally {
      await gateway.close();
    }
    const mock: Unset<MockTransportOptions> = { dataset: undefined, latencyMs: undefined, faults: undefined, token: undefined, secondLine: undefined };
    const client = createClient({ transport: mockTransport(mock), context });
    expect((await client.checkVehicle({ vin })).verdict).toBe('HIT');
    await client.close();
    const secondLine: Unset<SecondLineOptions> = { recordPurposes: undefined, confirmation: undefined, deadlinesMs: undefined, retryAfterSeconds: undefined, now: undefined };
    const resolved = resolveSecondLine({ ...secondLine, deadlinesMs: { URGENT: undefined, ROUTINE: undefined } });
    const plain = resolveSecondLine(undefined);
    expect([resolved.recordPurposes, resolved.desk.deadlinesMs, resolved.desk.retryAfterSeconds]).toEqual([plain.recordPurposes, plain.desk.deadlinesMs, plain.desk.retryAfterSeconds]);
    const synthetic: Unset<SyntheticDatasetOptions> = { documents: undefined, linkedDocuments: undefined, persons: undefined, vehicles: undefined, dataAsOf: undefined };
    expect(syntheticDataset({ ...synthetic, vehicles: 2 })).toEqual(syntheticDataset({ vehicles: 2 }));
  });

  it('the MRZ engine and the name tables take options given as undefined as not given', () => {
    const parse: Unset<ParseMrzOptions> = { repair: undefined, referenceDate: undefined };
    expect(parseMrz(TD3, parse)).toEqual(parseMrz(TD3));
    const fromMrz: Unset<SubjectsFromMrzOptions> = { allowInvalidMrz: undefined };
    expect(subjectsFromMrz(parseMrz(TD3), fromMrz)).toEqual(subjectsFromMrz(parseMrz(TD3)));
    const fields = {
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: 'L898902C3',
      surname: 'Eriksson',
      givenNames: ['Anna', 'María'],
      nationality: 'UTO',
      birthDate: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
    } as const;
    const unsetFields: Unset<FormatMrzInput> = { personalNumber: undefined, optionalData: undefined };
    expect(formatMrz({ ...fields, ...unsetFields })).toEqual(formatMrz(fields));
    const transliterate: Unset<TransliterateNameOptions> = { scheme: undefined, language: undefined };
    expect(transliterateName('Юлия Цой', transliterate)).toBe(transliterateName('Юлия Цой'));
    const variants: Unset<NameVariantsOptions> = { language: undefined, nationality: undefined };
    expect(nameVariants({ surname: 'Цой', givenNames: undefined }, variants)).toEqual(nameVariants({ surname: 'Цой' }));
  });

  it('the manifest reader and writers take options given as undefined as not given', () => {
    const draft = {
      messages: [
        {
          flights: [{ number: 'LH400', carrier: 'LH', legs: [{ departure: 'FRA', departsAt: '2025-03-01T10:00', arrival: 'JFK', arrivesAt: '2025-03-01T13:30' }] }],
          travellers: [{ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], documents: [{ number: 'L898902C3', issuingState: 'UTO' }] }],
        },
      ],
    };
    const write: Unset<WritePaxlstOptions> = { separators: undefined, una: undefined, lineBreak: undefined, wrapAt: undefined, dates: undefined, miscount: undefined };
    const text = writePaxlst(draft);
    expect(writePaxlst(draft, write)).toBe(text);
    const separators = { component: undefined, element: undefined, decimal: undefined, release: undefined, repetition: undefined, segment: undefined };
    expect(writePaxlst(draft, { separators })).toBe(writePaxlst(draft, { separators: {} }));
    const parse: Unset<ParsePaxlstOptions> = { maxSegmentLength: undefined, maxSegments: undefined, reportSkipped: undefined, now: undefined };
    const manifest = parsePaxlst(text);
    expect(parsePaxlst(text, parse)).toEqual(manifest);
    const item: Unset<ToBatchItemOptions> = { subjects: undefined, id: undefined };
    expect(toBatchItem(manifest.travellers[0]!, item)).toEqual(toBatchItem(manifest.travellers[0]!));
    const preparedAt = new Date('2025-03-01T09:00:00Z');
    const cusres: Omit<Unset<FormatCusresOptions>, 'preparedAt'> = { manifest: undefined, sender: undefined, recipient: undefined, codes: undefined, newlines: undefined, test: undefined };
    const answered = [{ traveller: manifest.travellers[0]!, id: '1', error: new TimeoutError('late') }];
    expect(formatCusres(answered, { reference: 'ANS1', preparedAt, ...cusres })).toBe(formatCusres(answered, { reference: 'ANS1', preparedAt }));
    expect(formatCusres(answered, { reference: 'ANS1', preparedAt, codes: { BOARD: undefined, NO_BOARD: undefined, CONTACT: undefined } })).toBe(
      formatCusres(answered, { reference: 'ANS1', preparedAt }),
    );
  });

  it('the audit log and its verifier take options given as undefined as not given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderlink-undefined-'));
    try {
      const options: Unset<AuditLogOptions> = {
        prefix: undefined,
        rotate: undefined,
        fsync: undefined,
        writeIntervalMs: undefined,
        checkpoint: undefined,
        retention: undefined,
        maxBufferedEvents: undefined,
        onNotice: undefined,
      };
      const log = openAuditLog({ dir, ...options });
      await log.close();
      const verify: Unset<VerifyAuditLogOptions> = { publicKey: undefined, prefix: undefined, checkpoints: undefined };
      expect((await verifyAuditLog([dir], verify)).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
