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
