// The second line against a gateway we did not write, over real sockets: wrong, missing, escaped and 10 kB ids, states
// the table does not know or refuses, absurd retry-after values, 5xx storms, a 201 without its id, a clock that lies
// about deadlines, and records whose every descriptive field has the wrong type. Each write keeps one key on every
// retry and replay, and every error of it names the key (rule 3); nothing is sent without its context (rule 4).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BorderlinkError,
  InputError,
  ProtocolError,
  createClient,
  httpTransport,
  type AuditEvent,
  type BorderlinkClient,
  type ClientOptions,
  type QueryContext,
} from 'borderlink';
import { startHostileGateway, type HostileAnswer, type HostileGateway, type HostileRequest } from '../hostile/server';
import { fakeClock, type FakeClock } from '../second-line/helpers';

const MINUTE = 60_000;
const context: QueryContext = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' };
const reason = 'Holder held at second line';
const FAR = '2999-01-01T00:00:00Z';

const json = (status: number, body: unknown, headers: [string, string][] = []): HostileAnswer => ({
  status,
  headers: [['content-type', 'application/json'], ...headers],
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const status = (over: Record<string, unknown> = {}) => ({
  confirmationId: 'C-1',
  hitId: 'H-1',
  priority: 'URGENT',
  attempt: 1,
  reason,
  locationId: 'UTO-LANE-07',
  state: 'PENDING',
  dueAt: FAR,
  ...over,
});

interface Routes {
  /** `POST /v1/hits/{hitId}/confirmation-requests`; `n` counts the POSTs from 0. */
  post?: (req: HostileRequest, n: number) => HostileAnswer;
  /** `GET /v1/confirmation-requests/{id}`; `id` decoded. */
  look?: (id: string, n: number, req: HostileRequest) => HostileAnswer;
  /** `GET /v1/records/{source}/{recordId}`. */
  record?: (req: HostileRequest, n: number) => HostileAnswer;
}

const open: { gateway: HostileGateway; clients: BorderlinkClient[] }[] = [];
afterEach(async () => {
  for (const { gateway, clients } of open.splice(0)) {
    for (const c of clients) await c.close();
    await gateway.close();
  }
});

/** A hostile gateway answering by `routes`, and a way to make clients of it, recording audit events and log lines. */
async function hostile(routes: Routes) {
  const gateway = await startHostileGateway();
  const counts = { post: 0, look: 0, record: 0 };
  gateway.answer((req) => {
    if (req.method === 'POST' && req.path.endsWith('/confirmation-requests') && routes.post) return routes.post(req, counts.post++);
    if (req.method === 'GET' && req.path.startsWith('/v1/confirmation-requests/') && routes.look) {
      return routes.look(decodeURIComponent(req.path.slice('/v1/confirmation-requests/'.length)), counts.look++, req);
    }
    if (req.method === 'GET' && req.path.startsWith('/v1/records/') && routes.record) return routes.record(req, counts.record++);
    return json(404, { error: { code: 'NOT_FOUND', message: 'no route' } });
  });
  const entry = { gateway, clients: [] as BorderlinkClient[] };
  open.push(entry);
  const audit: AuditEvent[] = [];
  const logged: string[] = [];
  const sink = (m: string, f?: Record<string, unknown>) => void logged.push(`${m} ${JSON.stringify(f ?? {})}`);
  const client = (options: Partial<ClientOptions> = {}) => {
    const c = createClient({
      transport: httpTransport({ baseUrl: gateway.url }),
      context,
      retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 },
      breaker: false,
      onAudit: (e) => audit.push(e),
      logLevel: 'debug',
      logger: { error: sink, warn: sink, info: sink, debug: sink },
      ...options,
    });
    entry.clients.push(c);
    return c;
  };
  return { gateway, client, audit, logged };
}

const posts = (gateway: HostileGateway) => gateway.requests.filter((r) => r.method === 'POST');
const errorOf = (promise: Promise<unknown>): Promise<BorderlinkError> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(BorderlinkError);
      return e as BorderlinkError;
    },
  );

describe('requestConfirmation against a hostile gateway', () => {
  it('sends the request again under its one key when a 201 has no confirmationId, and names that key in the error', async () => {
    const { gateway, client, audit } = await hostile({ post: () => json(201, { state: 'PENDING', dueAt: FAR }) });
    for (const given of [undefined, 'case-2026-0042-confirmation']) {
      gateway.requests.length = 0;
      const err = await errorOf(client().requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason }, given === undefined ? {} : { idempotencyKey: given }));
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).issues).toEqual([{ path: 'confirmationId', message: 'does not match protocol v1' }]);
      const sent = posts(gateway);
      expect(sent).toHaveLength(3);
      const keys = new Set(sent.map((r) => r.headers['idempotency-key']));
      expect(keys.size).toBe(1);
      expect(new Set(sent.map((r) => r.body)).size).toBe(1);
      const [key] = [...keys];
      if (given !== undefined) expect(key).toBe(given);
      expect(err.idempotencyKey).toBe(key);
      expect(err.mayHaveBeenStored).toBe(true);
      expect(err.toJSON()).toMatchObject({ idempotencyKey: key, mayHaveBeenStored: true });
    }
    expect(audit.map((e) => [e.action, e.outcome, e.confirmation])).toEqual([
      ['CONFIRMATION_REQUEST', 'PROTOCOL_ERROR', { priority: 'URGENT', request: 1 }],
      ['CONFIRMATION_REQUEST', 'PROTOCOL_ERROR', { priority: 'URGENT', request: 1 }],
    ]);
  });

  it('refuses a confirmationId with escape codes, a space, or 10 kB long, and a state protocol v1 does not list, never quoting them', async () => {
    for (const [created, path] of [
      [{ confirmationId: 'C-1\u001b[2J\u001b[32mCONFIRMED', state: 'PENDING', dueAt: FAR }, 'confirmationId'],
      [{ confirmationId: 'C 1 ERIKSSON', state: 'PENDING', dueAt: FAR }, 'confirmationId'],
      [{ confirmationId: `C-${'9'.repeat(10_000)}`, state: 'PENDING', dueAt: FAR }, 'confirmationId'],
      [{ confirmationId: 7, state: 'PENDING', dueAt: FAR }, 'confirmationId'],
      [{ confirmationId: 'C-1', state: 'ACCEPTED', dueAt: FAR }, 'state'],
      [{ confirmationId: 'C-1', dueAt: FAR }, 'state'],
    ] as const) {
      const { gateway, client, audit, logged } = await hostile({ post: () => json(201, created) });
      const err = await errorOf(client().requestConfirmation({ hitId: 'H-1' }, { priority: 'ROUTINE', reason }));
      expect(err, path).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).issues).toEqual([{ path, message: 'does not match protocol v1' }]);
      expect(err.idempotencyKey).toBe(posts(gateway)[0]!.headers['idempotency-key']);
      const said = JSON.stringify([err.message, err.toJSON(), audit, logged]);
      expect(said).not.toMatch(/\u001b|ERIKSSON|9{100}|ACCEPTED/);
    }
  });

  it('keeps its own deadline when a 201 says the request is already due (a gateway clock in the past), instead of spending three requests at once', async () => {
    const clock = fakeClock();
    const { gateway, client } = await hostile({
      post: (_req, n) => json(201, { confirmationId: `C-${n + 1}`, state: 'PENDING', dueAt: '2001-01-01T00:00:00Z' }),
      look: (id) => json(200, status({ confirmationId: id, dueAt: '2001-01-01T00:10:00Z' })),
    });
    const confirmation = await client({ clock }).requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason });
    expect(confirmation.dueAt).toBe(new Date(clock.now() + 10 * MINUTE).toISOString());
    expect(confirmation.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'dueAt' }]);
    await expect(confirmation.refresh()).resolves.toBe('PENDING');
    await expect(confirmation.refresh()).resolves.toBe('PENDING');
    expect(confirmation.attempt).toBe(1);
    expect(confirmation.dueAt).toBe(new Date(clock.now() + 10 * MINUTE).toISOString());
    expect(confirmation.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'dueAt' }]);
    expect(posts(gateway)).toHaveLength(1);
  });
});

describe('wait() against a hostile gateway', () => {
  /** A gateway that accepts one request, and answers each look by `look`. */
  async function following(look: (n: number, clock: FakeClock) => HostileAnswer, options: Partial<ClientOptions> = {}) {
    const clock = fakeClock();
    const h = await hostile({
      post: (_req, n) => json(201, { confirmationId: `C-${n + 1}`, state: 'PENDING', dueAt: FAR }),
      look: (id, n) => (id === 'C-1' ? look(n, clock) : json(200, status({ confirmationId: id, attempt: Number(id.slice(2)), state: 'CONFIRMED' }))),
    });
    const client = h.client({ clock, retry: { retries: 0 }, confirmations: { pollIntervalMs: 5000 }, ...options });
    const confirmation = await client.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason });
    return { ...h, clock, confirmation };
  }

  it("reads a retry-after given as an HTTP date on the client's clock", async () => {
    const { clock, confirmation } = await following((n, clock) =>
      n === 0 ? json(200, status(), [['retry-after', new Date(clock.now() + 30_000).toUTCString()]]) : json(200, status({ state: 'CONFIRMED' })),
    );
    const { value, sleeps } = await clock.drive(confirmation.wait());
    expect(value).toBe('CONFIRMED');
    // 5 s first; then the gateway's 30 s, longer than the back-off (10 s).
    expect(sleeps).toEqual([5000, 30_000]);
  });

  for (const [what, header] of [
    ['negative', ['retry-after', '-5']],
    ['not a number', ['retry-after', 'soon']],
    ['a fraction', ['retry-after', '1.5e3']],
    ['a date long past', ['retry-after', 'Thu, 01 Jan 1970 00:00:00 GMT']],
    ['negative milliseconds', ['retry-after-ms', '-30000']],
  ] as const) {
    it(`ignores a retry-after that is ${what}, looking by its own back-off`, async () => {
      const { clock, confirmation } = await following((n) => (n < 2 ? json(200, status(), [[...header]]) : json(200, status({ state: 'CONFIRMED' }))));
      const { value, sleeps } = await clock.drive(confirmation.wait());
      expect(value).toBe('CONFIRMED');
      expect(sleeps).toEqual([5000, 10_000, 20_000]);
    });
  }

  for (const [what, header] of [
    ['a year of seconds', ['retry-after', String(365 * 24 * 3600)]],
    ['four hundred digits of milliseconds', ['retry-after-ms', '9'.repeat(400)]],
    ['a date in a later century', ['retry-after', 'Fri, 01 Dec 2226 08:00:00 GMT']],
  ] as const) {
    it(`bounds a retry-after of ${what} by the deadline, and sends the next request when it passes`, async () => {
      const { clock, confirmation, gateway } = await following(() => json(200, status(), [[...header]]));
      const started = clock.now();
      const { value, sleeps } = await clock.drive(confirmation.wait());
      expect(value).toBe('CONFIRMED');
      expect(sleeps.every((ms) => Number.isInteger(ms) && ms > 0 && ms <= 10 * MINUTE)).toBe(true);
      expect(clock.now() - started).toBe(10 * MINUTE + 5000);
      expect(confirmation.attempt).toBe(2);
      expect(posts(gateway).map((r) => JSON.parse(r.body).renews)).toEqual([undefined, 'C-1']);
    });
  }

  it('looks no sooner than a 503 storm asks, and renews under one key through it when the deadline passes', async () => {
    const clock = fakeClock();
    let renewals = 0;
    const h = await hostile({
      post: (_req, n) => {
        if (n === 0) return json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR });
        // The renewal meets the storm three times, then is accepted.
        if (++renewals <= 3) return json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'busy' } }, [['retry-after', '30']]);
        return json(201, { confirmationId: 'C-2', state: 'PENDING', dueAt: FAR });
      },
      look: (id) =>
        id === 'C-1'
          ? json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'busy' } }, [['retry-after', '30']])
          : json(200, status({ confirmationId: 'C-2', attempt: 2, state: 'CONFIRMED', respondedAt: '2026-12-01T08:11:00Z' })),
    });
    const client = h.client({ clock, retry: { retries: 0 }, confirmations: { pollIntervalMs: 5000 } });
    const confirmation = await client.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason });
    const { value, sleeps } = await clock.drive(confirmation.wait());
    expect(value).toBe('CONFIRMED');
    expect(confirmation.attempt).toBe(2);
    // The first look at 5 s; every later one no sooner than the storm's 30 s (and never past the deadline).
    // The first look at 5 s; then no sooner than the storm's 30 s, the back-off growing past it to a minute, the last
    // look at the deadline; the renewal tried again a minute apart; the new request looked at after 5 s.
    expect(sleeps).toEqual([5000, 30_000, 30_000, 40_000, ...Array<number>(8).fill(60_000), 15_000, 60_000, 60_000, 60_000, 5000]);
    const renewalPosts = posts(h.gateway).slice(1);
    expect(renewalPosts).toHaveLength(4);
    expect(new Set(renewalPosts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(renewalPosts.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(renewalPosts[0]!.body).renews).toBe('C-1');
    expect(confirmation.idempotencyKey).toBe(renewalPosts[0]!.headers['idempotency-key']);
  });

  it('tries a renewal refused with a retry-after of a year again within a minute: the next request is overdue', async () => {
    const clock = fakeClock();
    let renewals = 0;
    const h = await hostile({
      post: (_req, n) => {
        if (n === 0) return json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR });
        if (++renewals === 1) return json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'busy' } }, [['retry-after', String(365 * 24 * 3600)]]);
        return json(201, { confirmationId: 'C-2', state: 'PENDING', dueAt: FAR });
      },
      look: (id) => json(200, id === 'C-1' ? status({ state: 'EXPIRED' }) : status({ confirmationId: 'C-2', attempt: 2, state: 'CONFIRMED' })),
    });
    const client = h.client({ clock, retry: { retries: 0 }, confirmations: { pollIntervalMs: 5000 } });
    const confirmation = await client.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason });
    const { value, sleeps } = await clock.drive(confirmation.wait());
    expect(value).toBe('CONFIRMED');
    // The look that finds C-1 lapsed, the renewal refused; tried again after a minute (the longest interval), not a year.
    expect(sleeps).toEqual([5000, 60_000, 5000]);
    expect(new Set(posts(h.gateway).slice(1).map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });
});

describe('fetchRecord against a hostile gateway', () => {
  type Shape = 'text' | 'texts' | { [field: string]: Shape } | readonly ['list', { [field: string]: Shape }];
  // The descriptive fields of protocol v1's full records, written out here apart from the reader's own tables.
  const DOCUMENT = { documentNumber: 'text', issuingState: 'text', documentType: 'text', status: 'text', incidentDate: 'text', incidentCountry: 'text' } as const;
  const NOTICE = {
    type: 'text', reference: 'text', requestingCountry: 'text', charges: 'texts', aliases: 'texts', physicalDescription: 'text', languages: 'texts', publishedAt: 'text', expiresAt: 'text',
  } as const;
  const PERSON = { surname: 'text', givenNames: 'texts', dateOfBirth: 'text', nationalities: 'texts' } as const;
  const VEHICLE = {
    vin: 'text', plate: 'text', make: 'text', model: 'text', colour: 'text', theftDate: 'text', registrationCountry: 'text', manufactureYear: 'text', bodyType: 'text', engineNumber: 'text', description: 'text',
  } as const;
  const BASE = { ownerCountry: 'text', actionToBeTaken: 'text' } as const;
  const SHAPES = {
    SLTD: { ...BASE, document: DOCUMENT, reportingAuthority: 'text', authorityReference: 'text', history: ['list', { at: 'text', event: 'text', status: 'text', authority: 'text' }] },
    TDAWN: { ...BASE, document: DOCUMENT, notice: NOTICE },
    NOMINAL: { ...BASE, person: PERSON, notice: NOTICE },
    SMV: { ...BASE, vehicle: VEHICLE },
  } as const satisfies Record<string, Shape>;
  const names = (shape: Shape): string[] => {
    if (typeof shape === 'string') return [];
    if (Array.isArray(shape)) return names(shape[1] as Shape);
    return Object.entries(shape as { [field: string]: Shape }).flatMap(([k, v]) => [k, ...names(v)]);
  };
  const FIELD_NAMES = new Set(Object.values(SHAPES).flatMap((shape) => names(shape as Shape)));

  /** Anything but a string: what a broken gateway sends where a text belongs. */
  const notText = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.array(fc.integer(), { maxLength: 2 }), fc.constant([{ nested: 'ERIKSSON' }]));
  function wrong(shape: Shape): fc.Arbitrary<unknown> {
    if (shape === 'text') return notText;
    if (shape === 'texts') return fc.oneof(notText.filter((v) => !Array.isArray(v)), fc.array(notText, { minLength: 1, maxLength: 3 }));
    const fields = (Array.isArray(shape) ? shape[1] : shape) as { [field: string]: Shape };
    const object = fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, wrong(v)])));
    if (Array.isArray(shape)) return fc.oneof(fc.constantFrom(7, 'a history', { at: 1 }), fc.array(fc.oneof(object, notText), { minLength: 1, maxLength: 3 }));
    return fc.oneof(fc.constantFrom(7, 'an object', ['a'], true), object);
  }

  /** Every string a value holds, depth first. */
  const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : []);

  it('keeps a record whose every descriptive field has the wrong type, of each kind: its ids exact, nothing else, a warning at each path', async () => {
    const { gateway, client } = await hostile({});
    const c = client({ retry: { retries: 0 } });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(SHAPES) as (keyof typeof SHAPES)[])).chain((source) => fc.tuple(fc.constant(source), wrong(SHAPES[source] as Shape))),
        async ([source, fields]) => {
          const recordId = `${source}-X-1`;
          gateway.answer(() => json(200, { ...(fields as object), source, recordId }));
          const { record, warnings } = await c.fetchRecord({ source, recordId });
          expect(record.source).toBe(source);
          expect(record.recordId).toBe(recordId);
          // Not a value of the wrong type was taken: the only strings in the record are its two ids.
          expect(strings(record)).toEqual([source, recordId]);
          expect(warnings.length).toBeGreaterThan(0);
          for (const w of warnings) {
            expect(w.code).toBe('GATEWAY_DEVIATION');
            for (const segment of w.path.split('.')) expect(FIELD_NAMES.has(segment) || /^\d+$/.test(segment), w.path).toBe(true);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('refuses a record whose id is not the one asked: escaped, 10 kB, a number, missing', async () => {
    const { gateway, client, audit, logged } = await hostile({});
    const c = client({ retry: { retries: 0 } });
    for (const recordId of ['NOMINAL-X-1\u001b[2J', `NOMINAL-X-1${'9'.repeat(10_000)}`, 42, undefined, '']) {
      gateway.answer(() => json(200, { source: 'NOMINAL', recordId, ownerCountry: 'UTO' }));
      const err = await errorOf(c.fetchRecord({ source: 'NOMINAL', recordId: 'NOMINAL-X-1' }));
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).issues).toEqual([{ path: 'recordId', message: 'is not the record asked for' }]);
    }
    for (const source of ['nominal', 'NOMINAL ', 'INTERPOL', null]) {
      gateway.answer(() => json(200, { source, recordId: 'NOMINAL-X-1' }));
      const err = await errorOf(c.fetchRecord({ source: 'NOMINAL', recordId: 'NOMINAL-X-1' }));
      expect((err as ProtocolError).issues).toEqual([{ path: 'source', message: 'is not the record asked for' }]);
    }
    expect(JSON.stringify([audit, logged])).not.toMatch(/\u001b|9{100}|INTERPOL/);
    // Asked for an id longer than protocol v1 allows, the client refuses before sending.
    const before = gateway.requests.length;
    const err = await errorOf(c.fetchRecord({ source: 'NOMINAL', recordId: 'R'.repeat(10_000) }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues).toEqual([{ path: 'recordId', message: 'must be a string of 1 to 1000 characters' }]);
    expect(err.message).not.toContain('RRRR');
    expect(gateway.requests.length).toBe(before);
  });

  it('reads a record asked by an id with escape codes and a name in it, and records that id only as a hash', async () => {
    const recordId = 'R 1 \u001b]0;ERIKSSON\u0007';
    const { gateway, client, audit, logged } = await hostile({ record: () => json(200, { source: 'SMV', recordId, ownerCountry: 'UTO', vehicle: { vin: 'V1' } }) });
    const { record } = await client().fetchRecord({ source: 'SMV', recordId, hitId: `H ${recordId}` });
    expect(record.recordId).toBe(recordId);
    expect(gateway.requests[0]!.path).toBe(`/v1/records/SMV/${encodeURIComponent(recordId)}`);
    const [event] = audit;
    expect(event).toMatchObject({ action: 'RECORD', outcome: 'OK', recordId: expect.stringMatching(/^hashed:[0-9a-f]+$/), hitIds: [expect.stringMatching(/^hashed:[0-9a-f]+$/)] });
    expect(JSON.stringify([audit, logged])).not.toMatch(/\u001b|\\u001b|ERIKSSON/);
  });
});

describe('resumeConfirmation against a hostile gateway', () => {
  it('refuses to resume from an answer about another request, in a state protocol v1 does not list, or with a hit id too long', async () => {
    for (const [over, path] of [
      [{ confirmationId: 'C-2' }, 'confirmationId'],
      [{ confirmationId: undefined }, 'confirmationId'],
      [{ state: 'PROBABLY_CONFIRMED' }, 'state'],
      [{ state: 'pending' }, 'state'],
      [{ hitId: 'H'.repeat(10_000) }, 'hitId'],
      [{ hitId: '' }, 'hitId'],
      [{ attempt: 4 }, 'attempt'],
      [{ attempt: 0 }, 'attempt'],
      [{ attempt: 1.5 }, 'attempt'],
      [{ priority: 'IMMEDIATE' }, 'priority'],
    ] as const) {
      const { client, audit, logged } = await hostile({ look: () => json(200, status(over)) });
      const err = await errorOf(client().resumeConfirmation('C-1'));
      expect(err, path).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).issues, path).toEqual([{ path, message: 'does not match protocol v1' }]);
      expect(JSON.stringify([err.message, err.toJSON(), audit, logged])).not.toMatch(/H{100}|PROBABLY|IMMEDIATE/);
    }
  });

  it('follows a resumed confirmation whose hit id holds escape codes and a name, and audits its renewal with that id hashed', async () => {
    const hitId = 'H-1 ERIKSSON \u001b[2J';
    const { gateway, client, audit, logged } = await hostile({
      look: (id) => json(200, id === 'C-1' ? status({ hitId, state: 'EXPIRED' }) : status({ hitId, confirmationId: id, attempt: 2 })),
      post: () => json(201, { confirmationId: 'C-2', state: 'PENDING', dueAt: FAR }),
    });
    const confirmation = await client().resumeConfirmation('C-1');
    expect(confirmation.hitId).toBe(hitId);
    await expect(confirmation.refresh()).resolves.toBe('PENDING');
    expect(confirmation.attempt).toBe(2);
    expect(posts(gateway)[0]!.path).toBe(`/v1/hits/${encodeURIComponent(hitId)}/confirmation-requests`);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'CONFIRMATION_REQUEST', outcome: 'OK', hitIds: [expect.stringMatching(/^hashed:[0-9a-f]+$/)], confirmation: { priority: 'URGENT', request: 2, confirmationId: 'C-2', renews: 'C-1' } }),
    ]);
    expect(JSON.stringify([audit, logged])).not.toMatch(/\u001b|\\u001b|ERIKSSON/);
  });
});

describe('every answer the state table refuses, over a socket', () => {
  const ANSWERS = ['CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID'] as const;
  const GATEWAY_STATES = ['PENDING', ...ANSWERS, 'EXPIRED'] as const;
  it('keeps an owner’s answer when the gateway then says anything else, each a ProtocolError, none applied', async () => {
    let answer: string = 'CONFIRMED';
    let next: string = 'PENDING';
    let n = 0;
    const { client } = await hostile({
      post: () => json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR }),
      look: () => json(200, status({ state: n++ === 0 ? answer : next, respondedAt: '2026-12-01T08:05:00Z', response: { ownerReference: `REF-${answer}` } })),
    });
    const c = client({ retry: { retries: 0 } });
    let refused = 0;
    for (const a of ANSWERS) {
      for (const e of GATEWAY_STATES) {
        if (e === a) continue;
        answer = a;
        next = e;
        n = 0;
        const confirmation = await c.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason });
        const seen: string[] = [];
        confirmation.on('confirmation', (ev) => seen.push(ev.to));
        await expect(confirmation.refresh()).resolves.toBe(a);
        const err = await errorOf(confirmation.refresh());
        expect(err, `${a} then ${e}`).toBeInstanceOf(ProtocolError);
        expect((err as ProtocolError).issues).toEqual([{ path: 'state', message: `${e} cannot follow ${a}` }]);
        // Nothing of the refused answer was applied, and a wait ends at once on the answer kept.
        expect(confirmation).toMatchObject({ state: a, response: { ownerReference: `REF-${a}` } });
        await expect(confirmation.wait()).resolves.toBe(a);
        expect(seen).toEqual([a]);
        refused++;
      }
    }
    expect(refused).toBe(12);
  });
});

describe('rule 4: who, for which authority, and why', () => {
  it('sends no record read, confirmation request or resumption without an operator, an authority and a purpose', async () => {
    const { gateway, client } = await hostile({
      record: () => json(200, { source: 'SLTD', recordId: 'R-1' }),
      post: () => json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR }),
      look: () => json(200, status()),
    });
    const without = (field: keyof QueryContext) => Object.fromEntries(Object.entries(context).filter(([k]) => k !== field));
    for (const [given, path] of [
      [without('operatorId'), 'context.operatorId'],
      [without('authorityId'), 'context.authorityId'],
      [without('purpose'), 'context.purpose'],
      [{ ...context, operatorId: '' }, 'context.operatorId'],
      [{ ...context, purpose: 'CURIOSITY' }, 'context.purpose'],
    ] as const) {
      const c = client({ context: given as Partial<QueryContext> });
      const calls = [
        c.fetchRecord({ source: 'SLTD', recordId: 'R-1' }),
        c.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason }, { idempotencyKey: 'case-0042-key' }),
        c.resumeConfirmation('C-1'),
      ];
      for (const call of calls) {
        const err = await errorOf(call);
        expect(err, path).toBeInstanceOf(InputError);
        expect((err as InputError).issues.map((i) => i.path), path).toContain(path);
      }
      // A write's error names its key even when it was refused before sending.
      const write = await errorOf(c.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason }, { idempotencyKey: 'case-0042-key' }));
      expect(write).toMatchObject({ idempotencyKey: 'case-0042-key', mayHaveBeenStored: false });
      // A call's own context cannot take away what the client's lacks, nor a call blank a field the client has.
      const blanked = client().fetchRecord({ source: 'SLTD', recordId: 'R-1' }, { context: { operatorId: ' ' } });
      expect(await errorOf(blanked)).toBeInstanceOf(InputError);
    }
    expect(gateway.requests).toEqual([]);
  });

  it('says who asks, for which authority and why, on every request of the second line: the read, the request, each look, the renewal', async () => {
    const clock = fakeClock();
    const { gateway, client } = await hostile({
      record: () => json(200, { source: 'SLTD', recordId: 'R-1' }),
      post: (_req, n) => json(201, { confirmationId: `C-${n + 1}`, state: 'PENDING', dueAt: FAR }),
      look: (id) => json(200, id === 'C-1' ? status({ state: 'EXPIRED' }) : status({ confirmationId: id, attempt: 2, state: 'CONFIRMED' })),
    });
    const c = client({ clock, confirmations: { pollIntervalMs: 5000 } });
    const asked = { operatorId: 'inv-0107', purpose: 'INVESTIGATION' } as const;
    await c.fetchRecord({ source: 'SLTD', recordId: 'R-1' }, { context: asked });
    const confirmation = await c.requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason }, { context: asked });
    await clock.drive(confirmation.wait());
    const who = { ...context, ...asked };
    expect(gateway.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'POST', 'GET']);
    for (const r of gateway.requests) {
      if (r.method === 'GET') {
        expect(r.headers).toMatchObject({ 'x-authority-id': who.authorityId, 'x-operator-id': who.operatorId, 'x-purpose': who.purpose, 'x-location-id': who.locationId });
      } else expect(JSON.parse(r.body).context).toEqual(who);
    }
  });
});

describe('rule 2: the second line keeps personal data where the officer reads it', () => {
  const PLANTED = ['ERIKSSON', 'ANNA MARIA', 'L898902C3', '1974-08-12', 'scar above', 'lane 7 cell 2'];
  const plantedReason = 'Holder ANNA MARIA ERIKSSON, born 1974-08-12, passport L898902C3, held in lane 7 cell 2';
  const hitId = 'HIT ERIKSSON L898902C3';
  const record = {
    source: 'NOMINAL',
    recordId: 'NOMINAL-UTO-0002',
    ownerCountry: 'UTO',
    actionToBeTaken: 'DETAIN ERIKSSON',
    person: { surname: 'ERIKSSON', givenNames: ['ANNA MARIA'], dateOfBirth: '1974-08-12', nationalities: ['UTO'] },
    notice: { type: 'RED', reference: 'L898902C3', requestingCountry: 'UTO', aliases: ['ANNA MARIA ERIKSSON'], physicalDescription: 'scar above the lip, 1974-08-12' },
  };
  const check = {
    requestId: 'gw-ERIKSSON',
    items: [
      {
        itemId: '1',
        outcomes: [{ source: 'NOMINAL', status: 'HIT' }],
        hits: [
          {
            hitId,
            source: 'NOMINAL',
            kind: 'person',
            recordId: record.recordId,
            ownerCountry: 'UTO',
            match: { method: 'EXACT', score: 1, matchedFields: ['surname'] },
            person: record.person,
            notice: { type: 'RED', reference: 'L898902C3', requestingCountry: 'UTO' },
          },
        ],
      },
    ],
  };
  const planted = (message: string) => ({ error: { code: 'L898902C3', message: `${message} ERIKSSON 1974-08-12 ${plantedReason}`, details: [{ path: 'ERIKSSON', message: 'L898902C3' }] } });

  it('holds no planted name, document number, date of birth or reason in any audit event, log line or error, the answers and their failures alike', async () => {
    let mode: 'ok' | 'fail' | 'broken' = 'ok';
    const { client, audit, logged } = await hostile({});
    const { gateway } = open.at(-1)!;
    gateway.answer((req) => {
      if (req.path === '/v1/checks') return json(200, check);
      if (req.path.startsWith('/v1/records/')) {
        if (mode === 'fail') return json(403, planted('refused'));
        if (mode === 'broken') return json(200, { ...record, recordId: 'NOMINAL ERIKSSON 1974-08-12' });
        return json(200, record);
      }
      if (req.method === 'POST') {
        if (mode === 'fail') return json(409, planted('reused'));
        if (mode === 'broken') return json(201, { confirmationId: 'ERIKSSON 1974-08-12', state: 'PENDING', dueAt: FAR });
        return json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR });
      }
      if (mode === 'fail') return json(404, planted('unknown'));
      if (mode === 'broken') return json(200, status({ hitId, priority: 'ROUTINE', reason: plantedReason, state: 'ERIKSSON' }));
      return json(200, status({ hitId, priority: 'ROUTINE', reason: plantedReason, state: 'CONFIRMED', response: { instructions: 'Detain ANNA MARIA ERIKSSON', ownerReference: 'L898902C3' } }));
    });
    const c = client({ retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 }, logLevel: 'debug' });
    const result = await c.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' }, { sources: ['NOMINAL'] });
    const hit = result.hits[0]!;
    // What the officer reads may hold them: the record, the owner's words.
    const { record: read } = await c.fetchRecord(hit);
    expect(JSON.stringify(read)).toContain('ERIKSSON');
    const confirmation = await c.requestConfirmation(hit, { priority: 'ROUTINE', reason: plantedReason });
    await expect(confirmation.refresh()).resolves.toBe('CONFIRMED');
    expect(confirmation.response?.instructions).toBe('Detain ANNA MARIA ERIKSSON');
    // The handle's own data holds the hit's id and the owner's words as the gateway sent them, never the reason given.
    const view = JSON.stringify(confirmation.toJSON());
    for (const p of ['lane 7 cell 2', '1974-08-12', plantedReason]) expect(view).not.toContain(p);

    const errors: BorderlinkError[] = [];
    for (const m of ['fail', 'broken'] as const) {
      mode = m;
      errors.push(await errorOf(c.fetchRecord(hit)));
      errors.push(await errorOf(c.requestConfirmation(hit, { priority: 'ROUTINE', reason: plantedReason })));
      errors.push(await errorOf(c.resumeConfirmation('C-1')));
    }
    expect(errors.map((e) => e.code)).toEqual(['FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED', 'NOT_FOUND', 'PROTOCOL_ERROR', 'PROTOCOL_ERROR', 'PROTOCOL_ERROR']);
    expect(audit.map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'CHECK OK',
      'RECORD OK',
      'CONFIRMATION_REQUEST OK',
      'RECORD FORBIDDEN',
      'CONFIRMATION_REQUEST IDEMPOTENCY_KEY_REUSED',
      'RECORD PROTOCOL_ERROR',
      'CONFIRMATION_REQUEST PROTOCOL_ERROR',
    ]);
    expect(logged.length).toBeGreaterThan(10);
    const said = JSON.stringify({ audit, logged, errors: errors.map((e) => [e.message, e.toJSON(), JSON.stringify(e), String(e.stack)]) });
    for (const p of PLANTED) expect(said, p).not.toContain(p);
    expect(said).not.toContain(plantedReason);
  });
});

describe('renewals against a hostile gateway', () => {
  it('refuses a renewal the gateway answers with the id of the request it renews: no new request is in force', async () => {
    const { client } = await hostile({
      post: () => json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR }),
      look: () => json(200, status({ state: 'EXPIRED' })),
    });
    const confirmation = await client().requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason });
    const err = await errorOf(confirmation.refresh());
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).issues).toEqual([{ path: 'confirmationId', message: 'is the request that lapsed, not a new one' }]);
    expect(err).toMatchObject({ idempotencyKey: expect.stringMatching(/^bl-renew-/), mayHaveBeenStored: true });
    expect(confirmation).toMatchObject({ confirmationId: 'C-1', attempt: 1, state: 'PENDING' });
    expect(confirmation.idempotencyKey).not.toBe(err.idempotencyKey);
  });

  it('names the renewal’s own key in the error a wait rejects with when the gateway refuses the renewal', async () => {
    const clock = fakeClock();
    const { gateway, client } = await hostile({
      post: (_req, n) =>
        n === 0 ? json(201, { confirmationId: 'C-1', state: 'PENDING', dueAt: FAR }) : json(409, { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'another body' } }),
      look: () => json(200, status({ state: 'EXPIRED' })),
    });
    const confirmation = await client({ clock, confirmations: { pollIntervalMs: 5000 } }).requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason }, { idempotencyKey: 'case-0042-first' });
    const { value: err } = await clock.drive(errorOf(confirmation.wait()));
    const renewal = posts(gateway)[1]!;
    expect(err).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: renewal.headers['idempotency-key'], mayHaveBeenStored: false });
    expect(renewal.headers['idempotency-key']).not.toBe('case-0042-first');
    expect(JSON.parse(renewal.body)).toMatchObject({ renews: 'C-1' });
    expect(confirmation).toMatchObject({ state: 'PENDING', attempt: 1, idempotencyKey: 'case-0042-first' });
  });
});

describe('a 5xx storm', () => {
  it('fails a record read after its retries, under one request id, with one audit event', async () => {
    const { gateway, client, audit } = await hostile({ record: () => json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'busy' } }) });
    const err = await errorOf(client().fetchRecord({ source: 'SLTD', recordId: 'R-1' }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', attempts: 3 });
    expect(new Set(gateway.requests.map((r) => r.headers['x-request-id']))).toEqual(new Set([err.requestId]));
    expect(audit.map((e) => [e.action, e.outcome, e.requestId])).toEqual([['RECORD', 'UPSTREAM_UNAVAILABLE', err.requestId]]);
  });

  it('fails a confirmation request after its retries under one key, named by the error, that the gateway may have', async () => {
    const { gateway, client } = await hostile({ post: () => json(503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'busy' } }) });
    const err = await errorOf(client().requestConfirmation({ hitId: 'H-1' }, { priority: 'URGENT', reason }));
    const keys = new Set(posts(gateway).map((r) => r.headers['idempotency-key']));
    expect(posts(gateway)).toHaveLength(3);
    expect(keys.size).toBe(1);
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', idempotencyKey: [...keys][0], mayHaveBeenStored: true });
  });
});
