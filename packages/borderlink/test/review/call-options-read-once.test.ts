// A call's options are read once, checked, and only what was checked is used: a getter (or a Proxy) that answers
// differently on a second read must not slip an unchecked value into the call. And a context must be a plain object:
// a Date or a class instance given as `context` is refused, never merged as an empty context.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport, type MockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const mrz = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const report = { ...document, status: 'STOLEN', incidentDate: '2024-03-01', incidentCountry: 'UTO' } as const;

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function clientWith(transport: MockTransport = mockTransport()): { client: BorderlinkClient; transport: MockTransport } {
  const client = createClient({ transport, context });
  clients.push(client);
  return { client, transport };
}

/**
 * Options whose every value is a getter: the first read answers `first[name]`, any later read `later[name]`. `reads`
 * counts the reads of each.
 */
function shifty(first: Record<string, unknown>, later: Record<string, unknown>): { options: Record<string, unknown>; reads: Record<string, number> } {
  const reads: Record<string, number> = {};
  const options: Record<string, unknown> = {};
  for (const name of Object.keys(first)) {
    reads[name] = 0;
    Object.defineProperty(options, name, {
      enumerable: true,
      get: () => (reads[name]!++ === 0 ? first[name] : later[name]),
    });
  }
  return { options, reads };
}

const sentContext = (transport: MockTransport) => (transport.requests.at(-1)?.body as { context: Record<string, unknown> }).context;

describe('a read call’s options', () => {
  it('reads each option once, and sends the context it checked, not a second answer', async () => {
    const { client, transport } = clientWith();
    const { options, reads } = shifty(
      { context: { operatorId: 'officer-0001' }, sources: ['SLTD'], timeoutMs: 5000, attemptTimeoutMs: 2000, signal: new AbortController().signal },
      { context: { operatorId: 'officer-9999' }, sources: ['NOMINAL'], timeoutMs: 10 ** 9, attemptTimeoutMs: -1, signal: AbortSignal.abort() },
    );

    const result = await client.checkDocument(document, options);

    expect(result.verdict).toBe('HIT');
    expect(reads).toEqual({ context: 1, sources: 1, timeoutMs: 1, attemptTimeoutMs: 1, signal: 1 });
    expect(sentContext(transport).operatorId).toBe('officer-0001');
    expect((transport.requests.at(-1)?.body as { items: { sources: string[] }[] }).items[0]!.sources).toEqual(['SLTD']);
  });

  it('reads a getter on the context’s own fields once', async () => {
    const { client, transport } = clientWith();
    let reads = 0;
    const callContext = Object.defineProperty({}, 'operatorId', { enumerable: true, get: () => (reads++ === 0 ? 'officer-0001' : 'officer-9999') });

    await client.checkDocument(document, { context: callContext });

    expect(reads).toBe(1);
    expect(sentContext(transport).operatorId).toBe('officer-0001');
  });

  it('reads checkMrz’s options once, its MRZ options included', async () => {
    const { client, transport } = clientWith();
    const referenceDate = new Date('2010-01-01T00:00:00Z');
    const { options, reads } = shifty(
      { context: { operatorId: 'officer-0001' }, allowInvalidMrz: false, repair: true, referenceDate, sources: ['SLTD'], timeoutMs: 5000 },
      { context: { operatorId: 'officer-9999' }, allowInvalidMrz: 'yes', repair: 'no', referenceDate: 'tomorrow', sources: ['SMV'], timeoutMs: 'never' },
    );

    const result = await client.checkMrz(mrz, options);

    expect(result.mrz.valid).toBe(true);
    expect(reads).toEqual({ context: 1, allowInvalidMrz: 1, repair: 1, referenceDate: 1, sources: 1, timeoutMs: 1 });
    expect(sentContext(transport).operatorId).toBe('officer-0001');
  });

  it('still refuses an option it does not know, and an option of the wrong type, naming it', async () => {
    const { client } = clientWith();
    const unknown = await client.checkDocument(document, { retries: 2 } as never).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ConfigError);
    expect((unknown as ConfigError).message).toContain('`retries` is not known');
    const wrong = await client.checkDocument(document, { timeoutMs: 'soon' } as never).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect((wrong as ConfigError).message).toContain('`timeoutMs`');
  });
});

describe('a write’s options', () => {
  it('reads each option once: the key the write sends is the key it checked', async () => {
    const { client, transport } = clientWith();
    const { options, reads } = shifty(
      { idempotencyKey: 'report-key-0001', context: { operatorId: 'officer-0001' }, timeoutMs: 5000 },
      { idempotencyKey: 'report-key-9999', context: { operatorId: 'officer-9999' }, timeoutMs: 10 ** 9 },
    );

    const result = await client.reportDocument(report, options);

    expect(result.idempotencyKey).toBe('report-key-0001');
    expect(reads).toEqual({ idempotencyKey: 1, context: 1, timeoutMs: 1 });
    expect(transport.requests.at(-1)?.headers['idempotency-key']).toBe('report-key-0001');
    expect(sentContext(transport).operatorId).toBe('officer-0001');
  });
});

class Officer {
  authorityId = 'UTO-POLICE';
  operatorId = 'officer-0001';
  purpose = 'BORDER_CHECK';
}

describe('a context that is not a plain object', () => {
  const odd: [string, () => unknown][] = [
    ['a Date', () => new Date()],
    ['a Map', () => new Map([['operatorId', 'officer-0001']])],
    ['a class instance', () => new Officer()],
    ['a boxed string', () => new String('officer-0001')],
  ];

  it.each(odd)('refuses %s as a call’s context with a ConfigError naming context, and sends nothing', async (_, make) => {
    const { client, transport } = clientWith();
    const error = await client.checkDocument(document, { context: make() as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('`context` must be a plain object');
    expect(transport.requests).toHaveLength(0);
  });

  it.each(odd)('refuses %s as the context of checkMrz, a write and checkMany', async (_, make) => {
    const { client, transport } = clientWith();
    const mrzError = await client.checkMrz(mrz, { context: make() as never }).catch((e: unknown) => e);
    expect((mrzError as ConfigError).message).toContain('`context` must be a plain object');
    const writeError = await client.reportDocument(report, { context: make() as never }).catch((e: unknown) => e);
    expect(writeError).toBeInstanceOf(ConfigError);
    expect((writeError as ConfigError).message).toContain('`context` must be a plain object');
    expect(() => client.checkMany([{ id: '1', subjects: [{ kind: 'document', ...document }] }], { context: make() as never })).toThrow(/`context` must be a plain object/);
    expect(transport.requests).toHaveLength(0);
  });

  it.each(odd)('refuses %s as the client’s context', (_, make) => {
    expect(() => createClient({ transport: mockTransport(), context: make() as never })).toThrow(/`context` must be a plain object/);
  });

  it('takes a context made without a prototype, as an object literal’s', async () => {
    const { client, transport } = clientWith();
    const bare = Object.assign(Object.create(null) as object, { operatorId: 'officer-0001' });
    await client.checkDocument(document, { context: bare });
    expect(sentContext(transport).operatorId).toBe('officer-0001');
  });
});
