// Confirmations over real sockets against the mock gateway, with one fake clock that the client and the gateway both
// read: confirmed, not confirmed, a record no longer valid, three unanswered requests then EXPIRED, a late answer, a
// confirmation resumed after a restart, and the rules of writes (one key per request, named by its errors).
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConfigError,
  ConflictError,
  InputError,
  createClient,
  type AuditEvent,
  type Confirmation,
  type ConfirmationChangeEvent,
  type ConfirmationRequestState,
} from 'borderlink';
import { mockTransport, type ConfirmationScript, type MockGateway } from 'borderlink/testing';
import { PERSONAL, connect, context, fakeClock, hitOf, startGateway, type FakeClock } from './helpers';

const MINUTE = 60_000;
const reason = 'Holder held at second line, lane 7';

/** A gateway whose owners answer by `script`, and a client, both on one fake clock. */
async function setUp(script?: ConfirmationScript, client: { deadlinesMs?: { URGENT?: number; ROUTINE?: number } } = {}) {
  const clock = fakeClock();
  const gateway = await startGateway({ secondLine: { now: clock.now, retryAfterSeconds: 0, ...(script !== undefined ? { confirmation: script } : {}) } });
  const { client: c, audit } = connect(gateway, { clock, confirmations: { pollIntervalMs: 5000, ...client } });
  return { clock, gateway, client: c, audit };
}

function changes(confirmation: Confirmation): ConfirmationChangeEvent[] {
  const seen: ConfirmationChangeEvent[] = [];
  confirmation.on('confirmation', (e) => seen.push(e));
  return seen;
}

const posts = (gateway: MockGateway) => gateway.requests.filter((r) => r.method === 'POST' && r.path.includes('/confirmation-requests'));
const confirmationAudit = (audit: AuditEvent[]) => audit.filter((e) => e.action === 'CONFIRMATION_REQUEST');

async function waitOn(clock: FakeClock, confirmation: Confirmation): Promise<{ state: ConfirmationRequestState; sleeps: number[] }> {
  const { value, sleeps } = await clock.drive(confirmation.wait());
  return { state: value, sleeps };
}

describe('requestConfirmation and wait()', () => {
  it('follows a request to CONFIRMED, looking with back-off and honouring retry-after', async () => {
    const clock = fakeClock();
    const gateway = await startGateway({
      secondLine: { now: clock.now, retryAfterSeconds: 20, confirmation: { answer: 'CONFIRMED', afterMs: 30_000, instructions: 'Seize the document', ownerReference: 'UTO-NCB-1' } },
    });
    const { client, audit } = connect(gateway, { clock, confirmations: { pollIntervalMs: 5000 } });
    const hit = await hitOf(client, 'SLTD');
    const requestedAt = clock.now();
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason });
    expect(confirmation).toMatchObject({ state: 'PENDING', attempt: 1, hitId: hit.hitId, priority: 'URGENT', dueAt: new Date(requestedAt + 10 * MINUTE).toISOString() });
    const seen = changes(confirmation);
    const { state, sleeps } = await waitOn(clock, confirmation);
    expect(state).toBe('CONFIRMED');
    // 5 s first; then the gateway's 20 s, longer than the back-off (10 s, then 20 s).
    expect(sleeps).toEqual([5000, 20_000, 20_000]);
    expect(confirmation.response).toEqual({ instructions: 'Seize the document', ownerReference: 'UTO-NCB-1' });
    expect(confirmation.respondedAt).toBe(new Date(requestedAt + 30_000).toISOString());
    expect(seen).toEqual([
      expect.objectContaining({ type: 'confirmation', from: 'PENDING', to: 'CONFIRMED', attempt: 1, late: false, confirmationId: confirmation.confirmationId, response: confirmation.response }),
    ]);
    // One request to the owner, then looks; every one says who asks, for which authority and why.
    expect(posts(gateway)).toHaveLength(1);
    const looks = gateway.requests.filter((r) => r.method === 'GET');
    expect(looks).toHaveLength(3);
    for (const look of looks) expect(look.headers).toMatchObject({ 'x-authority-id': context.authorityId, 'x-operator-id': context.operatorId, 'x-purpose': 'SECOND_LINE' });
    expect(posts(gateway)[0]!.body).toEqual({ context, priority: 'URGENT', reason, locationId: context.locationId });
    expect(confirmationAudit(audit)).toEqual([
      expect.objectContaining({
        action: 'CONFIRMATION_REQUEST',
        hitIds: [hit.hitId],
        recordId: hit.recordId,
        sources: ['SLTD'],
        subjects: [],
        outcome: 'OK',
        confirmation: { priority: 'URGENT', request: 1, confirmationId: confirmation.confirmationId },
      }),
    ]);
    // The reason may name the person: it is in no audit event.
    expect(JSON.stringify(audit)).not.toContain('lane 7');
    expect(JSON.stringify(confirmationAudit(audit))).not.toMatch(PERSONAL);
    // Final: another wait resolves at once.
    await expect(confirmation.wait()).resolves.toBe('CONFIRMED');
  });

  it('ends NOT_CONFIRMED when the owner does not confirm the hit', async () => {
    const { clock, client } = await setUp({ answer: 'NOT_CONFIRMED', afterMs: 8000, ownerReference: 'UTO-NCB-2' });
    const confirmation = await client.requestConfirmation(await hitOf(client, 'NOMINAL'), { priority: 'ROUTINE', reason });
    const { state } = await waitOn(clock, confirmation);
    expect(state).toBe('NOT_CONFIRMED');
    expect(confirmation).toMatchObject({ attempt: 1, response: { ownerReference: 'UTO-NCB-2' } });
  });

  it('ends RECORD_NO_LONGER_VALID when the owner says so, and for a record withdrawn since the hit', async () => {
    const { clock, client } = await setUp({ answer: 'RECORD_NO_LONGER_VALID', afterMs: 0 });
    const scripted = await client.requestConfirmation(await hitOf(client, 'SMV'), { priority: 'URGENT', reason });
    expect(await waitOn(clock, scripted)).toMatchObject({ state: 'RECORD_NO_LONGER_VALID', sleeps: [5000] });

    const own = fakeClock();
    const gateway = await startGateway({ secondLine: { now: own.now } });
    const { client: desk } = connect(gateway, { clock: own, confirmations: { pollIntervalMs: 5000 } });
    const report = { documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' } as const;
    const stored = await desk.reportDocument(report);
    const result = await desk.checkDocument({ documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT' }, { sources: ['SLTD'] });
    await desk.withdrawReport({ recordId: stored.recordId, reason: 'RECOVERED' });
    const withdrawn = await desk.requestConfirmation(result.hits[0]!, { priority: 'URGENT', reason });
    expect(withdrawn.state).toBe('PENDING');
    await expect(withdrawn.refresh()).resolves.toBe('RECORD_NO_LONGER_VALID');
  });

  it('sends the next request when a deadline passes unanswered, three at most, then ends EXPIRED', async () => {
    const { clock, gateway, client, audit } = await setUp({ answer: 'NEVER' });
    const hit = await hitOf(client, 'TDAWN');
    const started = clock.now();
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason });
    const seen = changes(confirmation);
    const first = confirmation.confirmationId;
    const { state } = await waitOn(clock, confirmation);
    expect(state).toBe('EXPIRED');
    expect(confirmation.attempt).toBe(3);
    expect(clock.now() - started).toBeGreaterThanOrEqual(30 * MINUTE);
    const sent = posts(gateway);
    expect(sent).toHaveLength(3);
    const keys = sent.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    const ids = confirmationAudit(audit).map((e) => e.confirmation?.confirmationId);
    expect(ids[0]).toBe(first);
    expect(sent.map((r) => (r.body as { renews?: string }).renews)).toEqual([undefined, ids[0], ids[1]]);
    expect(confirmationAudit(audit).map((e) => e.confirmation?.request)).toEqual([1, 2, 3]);
    expect(seen.map((e) => [e.from, e.to, e.attempt])).toEqual([
      ['PENDING', 'PENDING', 2],
      ['PENDING', 'PENDING', 3],
      ['PENDING', 'EXPIRED', 3],
    ]);
    expect(confirmation.idempotencyKey).toBe(keys[2]);
  });

  it('takes a late answer: the first request lapses, the owner answers during the second', async () => {
    // Eleven minutes: after the ten of an URGENT request.
    const { clock, client } = await setUp({ answer: 'CONFIRMED', afterMs: 11 * MINUTE });
    const confirmation = await client.requestConfirmation(await hitOf(client, 'SMV'), { priority: 'URGENT', reason });
    const seen = changes(confirmation);
    const { state } = await waitOn(clock, confirmation);
    expect(state).toBe('CONFIRMED');
    expect(confirmation.attempt).toBe(2);
    expect(seen.map((e) => [e.from, e.to, e.attempt, e.late])).toEqual([
      ['PENDING', 'PENDING', 2, false],
      ['PENDING', 'CONFIRMED', 2, false],
    ]);
  });

  it("keeps the client's own deadline when shorter, and takes an answer that comes after EXPIRED as late", async () => {
    const { clock, gateway, client } = await setUp({ answer: 'CONFIRMED', afterMs: 3.5 * MINUTE }, { deadlinesMs: { URGENT: MINUTE } });
    const requestedAt = clock.now();
    const confirmation = await client.requestConfirmation(await hitOf(client, 'SLTD'), { priority: 'URGENT', reason });
    expect(confirmation.dueAt).toBe(new Date(requestedAt + MINUTE).toISOString());
    const seen = changes(confirmation);
    expect((await waitOn(clock, confirmation)).state).toBe('EXPIRED');
    expect(posts(gateway)).toHaveLength(3);
    clock.advance(MINUTE);
    await expect(confirmation.refresh()).resolves.toBe('CONFIRMED');
    expect(seen.at(-1)).toMatchObject({ from: 'EXPIRED', to: 'CONFIRMED', late: true, attempt: 3 });
    // No fourth request was sent.
    expect(posts(gateway)).toHaveLength(3);
  });

  it('stops waiting when the signal aborts, and when the client closes', async () => {
    const { client } = await setUp({ answer: 'NEVER' });
    const confirmation = await client.requestConfirmation(await hitOf(client, 'SLTD'), { priority: 'ROUTINE', reason });
    const controller = new AbortController();
    const waiting = confirmation.wait({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    const again = expect(confirmation.wait()).rejects.toMatchObject({ code: 'ABORTED', message: 'The client was closed while following a confirmation' });
    await client.close();
    await again;
    await expect(confirmation.refresh()).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('resumeConfirmation', () => {
  it('resumes a confirmation from its id after a client restart, and follows it to the answer', async () => {
    const clock = fakeClock();
    const gateway = await startGateway({ secondLine: { now: clock.now, confirmation: { answer: 'CONFIRMED', afterMs: 12 * MINUTE, instructions: 'Detain' } } });
    const before = connect(gateway, { clock });
    const confirmation = await before.client.requestConfirmation(await hitOf(before.client, 'NOMINAL'), { priority: 'ROUTINE', reason });
    const saved = confirmation.confirmationId;
    await before.client.close();

    clock.advance(5 * MINUTE);
    const after = connect(gateway, { clock, confirmations: { pollIntervalMs: 5000 } });
    const resumed = await after.client.resumeConfirmation(saved);
    expect(resumed).toMatchObject({ confirmationId: saved, hitId: confirmation.hitId, priority: 'ROUTINE', state: 'PENDING', attempt: 1, dueAt: confirmation.dueAt, idempotencyKey: undefined });
    const { value } = await clock.drive(resumed.wait());
    expect(value).toBe('CONFIRMED');
    expect(resumed.response).toEqual({ instructions: 'Detain' });
    // Resuming asks nothing new of the owner: no request, no audit event.
    expect(posts(gateway)).toHaveLength(1);
    expect(after.audit.filter((e) => e.action === 'CONFIRMATION_REQUEST')).toEqual([]);
  });

  it('renews a lapsed request under one key from any process: a renewal cut by a crash is not sent twice', async () => {
    const { clock, gateway, client } = await setUp({ answer: 'NEVER' });
    const confirmation = await client.requestConfirmation(await hitOf(client, 'TDAWN'), { priority: 'URGENT', reason });
    const lapsed = confirmation.confirmationId;
    clock.advance(10 * MINUTE);
    // Two processes take up the same lapsed request (the first crashed before it could keep the new id).
    const one = await connect(gateway, { clock }).client.resumeConfirmation(lapsed);
    const two = await connect(gateway, { clock }).client.resumeConfirmation(lapsed);
    await one.refresh();
    await two.refresh();
    expect(one.attempt).toBe(2);
    expect(two.confirmationId).toBe(one.confirmationId);
    const renewals = posts(gateway).slice(1);
    expect(renewals).toHaveLength(2);
    expect(renewals[1]!.headers['idempotency-key']).toBe(renewals[0]!.headers['idempotency-key']);
    expect(one.idempotencyKey).toBe(renewals[0]!.headers['idempotency-key']);
  });

  it('asks the owner once more, not twice, when two operators take up the same lapsed request', async () => {
    const { clock, gateway, client } = await setUp({ answer: 'NEVER' });
    const confirmation = await client.requestConfirmation(await hitOf(client, 'TDAWN'), { priority: 'URGENT', reason });
    clock.advance(10 * MINUTE);
    const one = await connect(gateway, { clock, context: { ...context, operatorId: 'officer-0042' } }).client.resumeConfirmation(confirmation.confirmationId);
    const two = await connect(gateway, { clock, context: { ...context, operatorId: 'officer-0077' } }).client.resumeConfirmation(confirmation.confirmationId);
    await one.refresh();
    await two.refresh();
    const renewals = posts(gateway).slice(1);
    // Two bodies (who asks differs), so two keys; one renewal at the gateway, which both follow.
    expect(new Set(renewals.map((r) => r.headers['idempotency-key'])).size).toBe(2);
    expect(two.confirmationId).toBe(one.confirmationId);
    expect(two.attempt).toBe(2);
  });

  it('refuses an id that is not one before anything is sent', async () => {
    const { gateway, client } = await setUp();
    await expect(client.resumeConfirmation('has spaces in it')).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'confirmationId', message: expect.any(String) }] });
    await expect(client.resumeConfirmation('CONF-999999')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'The gateway knows no such confirmation request (NOT_FOUND)' });
    expect(gateway.requests).toHaveLength(1);
  });
});

describe('a confirmation request is a write', () => {
  it('is sent again under the same key when an attempt fails, and stored once', async () => {
    const gateway = await startGateway({ secondLine: { confirmation: { answer: 'NEVER' } } });
    const { client } = connect(gateway, { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } });
    const hit = await hitOf(client, 'SLTD');
    gateway.setFaults({ sequence: [{ type: 'lost-response' }], paths: ['/v1/hits/*'] });
    const confirmation = await client.requestConfirmation(hit, { priority: 'URGENT', reason }, { idempotencyKey: 'case-4711-confirm-1' });
    const sent = posts(gateway);
    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual(['case-4711-confirm-1', 'case-4711-confirm-1']);
    expect(confirmation.idempotencyKey).toBe('case-4711-confirm-1');
    // The same key again, from a restarted application: the gateway replays the request it stored.
    const again = await client.requestConfirmation(hit, { priority: 'URGENT', reason }, { idempotencyKey: 'case-4711-confirm-1' });
    expect(again.confirmationId).toBe(confirmation.confirmationId);
  });

  it('names its key in every error, refused before sending or by the gateway', async () => {
    const gateway = await startGateway();
    const { client } = connect(gateway, { context: { ...context, locationId: undefined } });
    const hit = await hitOf(client, 'SLTD');
    const missing = await client.requestConfirmation(hit, { priority: 'URGENT', reason }, { idempotencyKey: 'case-4711-confirm-2' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect(missing).toMatchObject({ idempotencyKey: 'case-4711-confirm-2', mayHaveBeenStored: false, issues: [{ path: 'locationId', message: expect.any(String) }] });
    const badReason = await client.requestConfirmation(hit, { priority: 'SOON', reason: 'x\u001b[2J' } as never, { idempotencyKey: 'case-4711-confirm-2' }).catch((e: unknown) => e);
    expect((badReason as InputError).issues.map((i) => i.path)).toEqual(['priority', 'reason', 'locationId']);
    expect(badReason).toMatchObject({ idempotencyKey: 'case-4711-confirm-2' });
    await client.requestConfirmation(hit, { priority: 'URGENT', reason, locationId: 'UTO-LANE-07' }, { idempotencyKey: 'case-4711-confirm-2' });
    const reused = await client.requestConfirmation(hit, { priority: 'ROUTINE', reason, locationId: 'UTO-LANE-07' }, { idempotencyKey: 'case-4711-confirm-2' }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ConflictError);
    expect(reused).toMatchObject({ idempotencyKey: 'case-4711-confirm-2', mayHaveBeenStored: false });
    const unknown = await client.requestConfirmation({ hitId: 'HIT-000000-NO-SUCH-RECORD' }, { priority: 'URGENT', reason, locationId: 'UTO-LANE-07' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: 'The gateway knows no such hit (NOT_FOUND)', idempotencyKey: expect.any(String), mayHaveBeenStored: false });
  });
});

describe('the options of confirmations', () => {
  it('refuses a setting it does not know, or out of its range, when the client is made', () => {
    const make = (confirmations: unknown) => () => createClient({ transport: mockTransport(), context, confirmations: confirmations as never });
    expect(make({ deadlineMs: {} })).toThrow(new ConfigError('createClient: option `confirmations.deadlineMs` is not known'));
    expect(make({ pollIntervalMs: 50 })).toThrow(ConfigError);
    expect(make({ pollIntervalMs: 5000, maxPollIntervalMs: 1000 })).toThrow(new ConfigError('createClient: option `confirmations.maxPollIntervalMs` must be at least pollIntervalMs'));
    expect(make({ deadlinesMs: { URGENT: 500 } })).toThrow(ConfigError);
    expect(make({ deadlinesMs: { SOON: 60_000 } })).toThrow(ConfigError);
    expect(make({ deadlinesMs: { URGENT: 5 * MINUTE, ROUTINE: 30 * MINUTE }, pollIntervalMs: 1000, maxPollIntervalMs: 30_000 })).not.toThrow();
  });

  it("refuses a handle's options and listeners it does not know", async () => {
    const { client } = await setUp({ answer: 'NEVER' });
    const confirmation = await client.requestConfirmation(await hitOf(client, 'SLTD'), { priority: 'URGENT', reason });
    await expect(confirmation.wait({ timeoutMs: 5 } as never)).rejects.toThrow(new ConfigError('confirmation.wait: option `timeoutMs` is not known'));
    await expect(confirmation.refresh({ signal: 'soon' } as never)).rejects.toThrow(new ConfigError('confirmation.refresh: option `signal` must be an AbortSignal'));
    expect(() => confirmation.on('change' as never, () => {})).toThrow(ConfigError);
    expect(() => confirmation.on('confirmation', 5 as never)).toThrow(ConfigError);
    await expect(client.requestConfirmation({ hitId: '' }, { priority: 'URGENT', reason })).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'hit.hitId', message: expect.any(String) }] });
  });
});
