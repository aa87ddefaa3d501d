// The mock gateway's second line, as a gateway: what it answers conforms to protocol v1's strict schemas, it refuses
// what the protocol refuses (by path, never by value), and its owners answer as scripted, by its own clock.
import { describe, expect, it } from 'vitest';
import { ConfigError } from 'borderlink';
import { createGatewayHandler, demoDataset, loadDataset, type ConfirmationScript, type GatewayHandler } from 'borderlink/testing';
import { confirmationCreatedSchema, confirmationStatusSchema, fullRecordSchema } from '../../src/protocol/wire';
import { checkBody, context, parseCheck, passport, post } from './helpers';

const contextHeaders = { 'x-authority-id': context.authorityId, 'x-operator-id': context.operatorId, 'x-purpose': 'SECOND_LINE' };
const get = (handle: GatewayHandler, path: string, headers: Record<string, string> = contextHeaders) => handle({ method: 'GET', path, headers, body: '' });
const ask = (handle: GatewayHandler, hitId: string, body: Record<string, unknown> = {}, key = 'key-00000001') =>
  post(handle, `/v1/hits/${encodeURIComponent(hitId)}/confirmation-requests`, { context, priority: 'URGENT', reason: 'held at lane 7', locationId: 'UTO-LANE-07', ...body }, { 'idempotency-key': key });
const json = (res: { body: string }) => JSON.parse(res.body) as Record<string, unknown>;

async function hitIdOf(handle: GatewayHandler, subject: object = passport): Promise<string> {
  return parseCheck(await post(handle, '/v1/checks', checkBody([subject]))).items[0]!.hits[0]!.hitId;
}

/** A gateway whose clock is moved by hand, and whose owners answer by `script`. */
function gatewayAt(script?: ConfirmationScript) {
  let now = Date.parse('2026-12-01T08:00:00Z');
  const handle = createGatewayHandler({ secondLine: { now: () => now, ...(script !== undefined ? { confirmation: script } : {}) } });
  return { handle, advance: (ms: number) => (now += ms) };
}

describe('GET /v1/records/{source}/{recordId}', () => {
  it('answers every record of the demo dataset by the strict schema of a full record', async () => {
    const handle = createGatewayHandler();
    const ids = [...demoDataset.documents.map((r) => ['SLTD', r.recordId]), ...demoDataset.linkedDocuments.map((r) => ['TDAWN', r.recordId]), ...demoDataset.persons.map((r) => ['NOMINAL', r.recordId]), ...demoDataset.vehicles.map((r) => ['SMV', r.recordId])];
    for (const [source, recordId] of ids) {
      const res = await get(handle, `/v1/records/${source}/${recordId}`);
      expect(res.status, recordId).toBe(200);
      expect(fullRecordSchema.parse(json(res)), recordId).toMatchObject({ source, recordId });
    }
  });

  it('refuses a purpose it gives no full record to with 403 PURPOSE_NOT_ALLOWED, and takes the purposes it is told', async () => {
    for (const purpose of ['BORDER_CHECK', 'MANIFEST_SCREENING']) {
      const res = await get(createGatewayHandler(), '/v1/records/SLTD/SLTD-UTO-0001', { ...contextHeaders, 'x-purpose': purpose });
      expect([res.status, (json(res).error as { code: string }).code], purpose).toEqual([403, 'PURPOSE_NOT_ALLOWED']);
    }
    const open = createGatewayHandler({ secondLine: { recordPurposes: ['BORDER_CHECK'] } });
    expect((await get(open, '/v1/records/SLTD/SLTD-UTO-0001', { ...contextHeaders, 'x-purpose': 'BORDER_CHECK' })).status).toBe(200);
    expect((await get(open, '/v1/records/SLTD/SLTD-UTO-0001')).status).toBe(403);
  });

  it('needs the context in the headers, and answers 404 for a record or source it does not know, 405 for a POST', async () => {
    const handle = createGatewayHandler();
    const bare = await get(handle, '/v1/records/SLTD/SLTD-UTO-0001', {});
    expect(bare.status).toBe(400);
    expect((json(bare).error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['headers.x-authority-id', 'headers.x-operator-id', 'headers.x-purpose']);
    expect((await get(handle, '/v1/records/SLTD/NOPE')).status).toBe(404);
    expect((await get(handle, '/v1/records/XYZ/SLTD-UTO-0001')).status).toBe(404);
    expect((await get(handle, '/v1/records/SMV/SLTD-UTO-0001')).status).toBe(404);
    expect((await post(handle, '/v1/records/SLTD/SLTD-UTO-0001', {})).status).toBe(405);
  });

  it('keeps the full record out of the hits: a hit carries the notice of protocol v1, no more', async () => {
    const handle = createGatewayHandler();
    const item = parseCheck(await post(handle, '/v1/checks', checkBody([{ kind: 'document', documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT' }]))).items[0]!;
    const raw = JSON.stringify(item.hits);
    expect(raw).not.toContain('aliases');
    expect(raw).not.toContain('physicalDescription');
  });
});

describe('POST /v1/hits/{hitId}/confirmation-requests', () => {
  it('names the record in the hit id, so a hit answered before a restart can still be confirmed', async () => {
    const before = createGatewayHandler();
    const hitId = await hitIdOf(before);
    expect(hitId).toMatch(/^HIT-[0-9A-Z]{6}-SLTD-UTO-0001$/);
    const after = createGatewayHandler();
    const res = await ask(after, hitId);
    expect(res.status).toBe(201);
    expect(confirmationCreatedSchema.parse(json(res))).toMatchObject({ state: 'PENDING' });
    expect((await ask(after, 'HIT-000001-NO-SUCH-RECORD', {}, 'key-00000002')).status).toBe(404);
    expect((await ask(after, 'h-not-ours', {}, 'key-00000003')).status).toBe(404);
  });

  it('refuses a request without a key, or with fields that break the rules, naming each by path', async () => {
    const handle = createGatewayHandler();
    const hitId = await hitIdOf(handle);
    const noKey = await post(handle, `/v1/hits/${hitId}/confirmation-requests`, { context, priority: 'URGENT', reason: 'x', locationId: 'L-1' });
    expect((json(noKey).error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['headers.idempotency-key']);
    const bad = await ask(handle, hitId, { priority: 'SOON', reason: '', locationId: 'has space', renews: 'a b' });
    expect(bad.status).toBe(400);
    expect((json(bad).error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['priority', 'reason', 'locationId', 'renews']);
    expect(bad.body).not.toContain('has space');
  });

  it('replays the same key and body, refuses the same key with another body', async () => {
    const handle = createGatewayHandler();
    const hitId = await hitIdOf(handle);
    const first = await ask(handle, hitId);
    const again = await ask(handle, hitId);
    expect([again.status, again.headers['idempotent-replayed'], again.body]).toEqual([200, 'true', first.body]);
    expect((await ask(handle, hitId, { priority: 'ROUTINE' })).status).toBe(409);
  });

  it('chains a renewal to the request it renews, one per request, three at most', async () => {
    const handle = createGatewayHandler();
    const hitId = await hitIdOf(handle);
    const one = json(await ask(handle, hitId, {}, 'key-chain-1')).confirmationId as string;
    const two = json(await ask(handle, hitId, { renews: one }, 'key-chain-2')).confirmationId as string;
    const three = json(await ask(handle, hitId, { renews: two }, 'key-chain-3')).confirmationId as string;
    const attempt = async (id: string) => json(await get(handle, `/v1/confirmation-requests/${id}`)).attempt;
    expect([await attempt(one), await attempt(two), await attempt(three)]).toEqual([1, 2, 3]);
    // A second renewal of one request, under another key (another client took it up): the first renewal.
    const again = await ask(handle, hitId, { renews: one, reason: 'taken up at the desk' }, 'key-chain-2b');
    expect([again.status, again.headers['idempotent-replayed'], json(again).confirmationId]).toEqual([200, 'true', two]);
    const fourth = await ask(handle, hitId, { renews: three }, 'key-chain-4');
    expect([fourth.status, (json(fourth).error as { details: { path: string }[] }).details[0]!.path]).toEqual([400, 'renews']);
    const other = await hitIdOf(handle, { kind: 'person', surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' });
    expect((await ask(handle, other, { renews: one }, 'key-chain-5')).status).toBe(400);
  });
});

describe('GET /v1/confirmation-requests/{confirmationId}: the owners, scripted', () => {
  it('answers after the scripted delay, with the owner’s words, and says when to look again until then', async () => {
    const { handle, advance } = gatewayAt({ answer: 'CONFIRMED', afterMs: 60_000, instructions: 'Seize it', ownerReference: 'REF-1' });
    const id = json(await ask(handle, await hitIdOf(handle))).confirmationId as string;
    const pending = await get(handle, `/v1/confirmation-requests/${id}`);
    expect(confirmationStatusSchema.parse(json(pending))).toMatchObject({ state: 'PENDING', attempt: 1, priority: 'URGENT', reason: 'held at lane 7', locationId: 'UTO-LANE-07' });
    expect(pending.headers['retry-after']).toBe('1');
    advance(60_000);
    const answered = await get(handle, `/v1/confirmation-requests/${id}`);
    expect(confirmationStatusSchema.parse(json(answered))).toMatchObject({
      state: 'CONFIRMED',
      respondedAt: '2026-12-01T08:01:00.000Z',
      response: { instructions: 'Seize it', ownerReference: 'REF-1' },
    });
    expect(answered.headers['retry-after']).toBeUndefined();
    expect((await get(handle, '/v1/confirmation-requests/CONF-999999')).status).toBe(404);
    expect((await get(handle, `/v1/confirmation-requests/${id}`, {})).status).toBe(400);
  });

  it('lets a request that is never answered lapse at its deadline, for good', async () => {
    const { handle, advance } = gatewayAt({ answer: 'NEVER' });
    const id = json(await ask(handle, await hitIdOf(handle))).confirmationId as string;
    advance(10 * 60_000 - 1);
    expect(json(await get(handle, `/v1/confirmation-requests/${id}`)).state).toBe('PENDING');
    advance(1);
    expect(json(await get(handle, `/v1/confirmation-requests/${id}`)).state).toBe('EXPIRED');
    advance(24 * 60 * 60_000);
    expect(json(await get(handle, `/v1/confirmation-requests/${id}`)).state).toBe('EXPIRED');
  });

  it('puts a late answer on the request in force, never on the one that lapsed', async () => {
    const { handle, advance } = gatewayAt({ answer: 'NOT_CONFIRMED', afterMs: 11 * 60_000 });
    const hitId = await hitIdOf(handle);
    const one = json(await ask(handle, hitId, {}, 'key-late-1')).confirmationId as string;
    advance(10 * 60_000);
    const two = json(await ask(handle, hitId, { renews: one }, 'key-late-2')).confirmationId as string;
    advance(60_000);
    expect(json(await get(handle, `/v1/confirmation-requests/${one}`)).state).toBe('EXPIRED');
    expect(json(await get(handle, `/v1/confirmation-requests/${two}`)).state).toBe('NOT_CONFIRMED');
  });

  it('answers by the record’s own script: the demo’s, and one given to upsertRecord', async () => {
    const { handle, advance } = gatewayAt();
    const lost = await hitIdOf(handle, { kind: 'document', documentNumber: 'D23145890', issuingState: 'UTO', documentType: 'ID_CARD' });
    const id = json(await ask(handle, lost)).confirmationId as string;
    advance(2000);
    expect(json(await get(handle, `/v1/confirmation-requests/${id}`)).state).toBe('RECORD_NO_LONGER_VALID');
    handle.upsertRecord({ source: 'SLTD', recordId: 'SLTD-UTO-0077', documentNumber: 'Q1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', confirmation: { answer: 'NOT_CONFIRMED' } });
    const q = await hitIdOf(handle, { kind: 'document', documentNumber: 'Q1234567', issuingState: 'UTO', documentType: 'PASSPORT' });
    const qid = json(await ask(handle, q, {}, 'key-own-1')).confirmationId as string;
    expect(json(await get(handle, `/v1/confirmation-requests/${qid}`)).state).toBe('NOT_CONFIRMED');
  });
});

describe('the dataset and options of the second line', () => {
  it('loads the full-record fields and scripts of a dataset file, and refuses a bad one by path', () => {
    const dataset = loadDataset({
      documents: [
        {
          recordId: 'SLTD-X-1', documentNumber: 'X1', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN',
          reportingAuthority: 'UTO-POLICE', history: [{ at: '2026-01-01', event: 'REPORTED' }], confirmation: { answer: 'NEVER' },
        },
      ],
      vehicles: [
        { recordId: 'SMV-X-1', vin: 'WVWZZZ1JZXW000009', plate: 'X-1', make: 'M', model: 'N', colour: 'RED', theftDate: '2026-01-01', registrationCountry: 'UTO', engineNumber: 'E-1' },
      ],
    });
    expect(dataset.documents[0]!.confirmation).toEqual({ answer: 'NEVER' });
    expect(() => loadDataset({ documents: [{ ...dataset.documents[0]!, confirmation: { answer: 'MAYBE' } }] })).toThrow(
      new ConfigError('Invalid dataset: documents.0.confirmation.answer must be CONFIRMED, NOT_CONFIRMED, RECORD_NO_LONGER_VALID or NEVER'),
    );
  });

  it('refuses a second-line option it does not know, or of the wrong kind, by its path', () => {
    expect(() => createGatewayHandler({ secondLine: { recordPurposes: ['COFFEE'] } as never })).toThrow(/option `secondLine\.recordPurposes\.0` must list purposes/);
    // A priority is upper case, the shape of data rather than of an option name: the key is not repeated.
    expect(() => createGatewayHandler({ secondLine: { deadlinesMs: { URGENT: 0 } } })).toThrow(/option `secondLine\.deadlinesMs\.\(a key that is not an option name\)` must be a number of milliseconds above 0/);
    expect(() => createGatewayHandler({ secondLine: { later: true } as never })).toThrow(/option `secondLine\.later` is not known/);
  });
});
