import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorBodySchema, reportResponseSchema, withdrawalResponseSchema } from '../../src/protocol/wire';
import type { OutcomeStatus } from 'borderlink';
import { createGatewayHandler, demoDataset, type Dataset } from 'borderlink/testing';
import { checkBody, context, parseCheck, passport, post } from './helpers';

function verdictOf(statuses: OutcomeStatus[]): string {
  if (statuses.includes('HIT')) return 'HIT';
  if (statuses.some((s) => !['HIT', 'POSSIBLE_HIT', 'NO_HIT'].includes(s))) return 'INCOMPLETE';
  if (statuses.includes('POSSIBLE_HIT')) return 'POSSIBLE_HIT';
  return 'NO_HIT';
}

const report = { documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' } as const;

describe('the demo dataset (the table in docs/testing.md)', () => {
  const handle = createGatewayHandler();
  it.each([
    ['specimen passport L898902C3', passport, { SLTD: 'HIT', TDAWN: 'NO_HIT' }, 'HIT', 'EXACT'],
    ['the same passport with case, spaces and filler', { ...passport, documentNumber: 'l898 902c3<' }, { SLTD: 'HIT', TDAWN: 'NO_HIT' }, 'HIT', 'NORMALISED'],
    ['specimen ID card D23145890', { kind: 'document', documentNumber: 'D23145890', issuingState: 'UTO', documentType: 'ID_CARD' }, { SLTD: 'HIT', TDAWN: 'NO_HIT' }, 'HIT', 'EXACT'],
    ['TDAWN passport PX7734551', { kind: 'document', documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT' }, { SLTD: 'NO_HIT', TDAWN: 'HIT' }, 'HIT', 'EXACT'],
    ['STORGAARD NILS ERIK 1968-03-22 (RED)', { kind: 'person', surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' }, { NOMINAL: 'HIT' }, 'HIT', 'EXACT'],
    ['Storgaard nils erik, in lower case', { kind: 'person', surname: 'Storgaard', givenNames: ['nils', 'erik'], dateOfBirth: '1968-03-22' }, { NOMINAL: 'HIT' }, 'HIT', 'EXACT'],
    ['STORGARD (one letter off)', { kind: 'person', surname: 'STORGARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' }, { NOMINAL: 'POSSIBLE_HIT' }, 'POSSIBLE_HIT', 'FUZZY'],
    ['STORGAARD NILS (given names in part)', { kind: 'person', surname: 'STORGAARD', givenNames: ['NILS'], dateOfBirth: '1968-03-22' }, { NOMINAL: 'POSSIBLE_HIT' }, 'POSSIBLE_HIT', 'FUZZY'],
    ['ERIKSSON ANNA MARIA 1974-08-12 (YELLOW)', { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' }, { NOMINAL: 'HIT' }, 'HIT', 'EXACT'],
    ['VIN WVWZZZ1JZXW000001', { kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }, { SMV: 'HIT' }, 'HIT', 'EXACT'],
    ['plate AB123CD, UTO', { kind: 'vehicle', plate: 'AB123CD', registrationCountry: 'UTO' }, { SMV: 'HIT' }, 'HIT', 'NORMALISED'],
    ['another document', { kind: 'document', documentNumber: 'X1234567', issuingState: 'UTO', documentType: 'PASSPORT' }, { SLTD: 'NO_HIT', TDAWN: 'NO_HIT' }, 'NO_HIT', undefined],
    ['the specimen number from another state', { ...passport, issuingState: 'D' }, { SLTD: 'NO_HIT', TDAWN: 'NO_HIT' }, 'NO_HIT', undefined],
    ['another person', { kind: 'person', surname: 'MUSTERMANN', givenNames: ['ERIKA'], dateOfBirth: '1964-08-12' }, { NOMINAL: 'NO_HIT' }, 'NO_HIT', undefined],
    ['STORGAARD with another date of birth', { kind: 'person', surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-23' }, { NOMINAL: 'NO_HIT' }, 'NO_HIT', undefined],
    ['the plate in another country', { kind: 'vehicle', plate: 'AB123CD', registrationCountry: 'D' }, { SMV: 'NO_HIT' }, 'NO_HIT', undefined],
  ])('%s', async (_name, subject, outcomes, verdict, method) => {
    const answer = parseCheck(await post(handle, '/v1/checks', checkBody([subject])));
    const item = answer.items[0]!;
    expect(Object.fromEntries(item.outcomes.map((o) => [o.source, o.status]))).toEqual(outcomes);
    expect(verdictOf(item.outcomes.map((o) => o.status))).toBe(verdict);
    expect(item.hits[0]?.match.method).toBe(method);
    if (method === 'FUZZY') expect(item.hits[0]!.match.score).toBeLessThan(1);
  });

  it('gives INCOMPLETE with the unavailable fault', async () => {
    const faulty = createGatewayHandler({ faults: [{ type: 'unavailable' }] });
    const answer = parseCheck(await post(faulty, '/v1/checks', checkBody([{ ...passport, documentNumber: 'X1234567' }])));
    expect(verdictOf(answer.items[0]!.outcomes.map((o) => o.status))).toBe('INCOMPLETE');
  });
});

describe('POST /v1/checks', () => {
  it('answers each item with the default sources of its subjects, in protocol order', async () => {
    const handle = createGatewayHandler();
    const answer = parseCheck(
      await post(handle, '/v1/checks', checkBody([{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }, passport], [{ kind: 'person', surname: 'X' }])),
    );
    expect(answer.items.map((i) => i.outcomes.map((o) => o.source))).toEqual([['SLTD', 'TDAWN', 'SMV'], ['NOMINAL']]);
    expect(answer.items[0]!.hits.map((h) => h.source)).toEqual(['SLTD', 'SMV']);
  });

  it('checks only the sources an item names, and a document holder in NOMINAL when asked', async () => {
    const handle = createGatewayHandler();
    const holder = { surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' };
    const body = { context, items: [{ itemId: 'x', subjects: [{ ...passport, holder }], sources: ['NOMINAL'] }] };
    const item = parseCheck(await post(handle, '/v1/checks', body)).items[0]!;
    expect(item.outcomes).toEqual([{ source: 'NOMINAL', status: 'HIT', dataAsOf: expect.any(String) }]);
    expect(item.hits.map((h) => h.kind)).toEqual(['person']);
  });

  it('gives one hit per record even when two subjects reach it, and unique hit ids across the answer', async () => {
    const handle = createGatewayHandler();
    const answer = parseCheck(
      await post(handle, '/v1/checks', checkBody([passport, { ...passport, documentNumber: 'L898902C3<<' }], [passport], [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001', plate: 'AB-123CD', registrationCountry: 'UTO' }])),
    );
    expect(answer.items.map((i) => i.hits.length)).toEqual([1, 1, 1]);
    expect(answer.items[0]!.hits[0]!.match.method).toBe('EXACT');
    const ids = answer.items.flatMap((i) => i.hits.map((h) => h.hitId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('takes the request id from x-request-id and makes one up otherwise', async () => {
    const handle = createGatewayHandler();
    const given = await post(handle, '/v1/checks', checkBody([passport]), { 'x-request-id': 'req-1' });
    expect(parseCheck(given).requestId).toBe('req-1');
    expect(given.headers['x-request-id']).toBe('req-1');
    expect(parseCheck(await post(handle, '/v1/checks', checkBody([passport]))).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends dataAsOf from the dataset, per source, or the time the gateway started', async () => {
    const dataset: Dataset = { ...demoDataset, dataAsOf: { SLTD: '2025-01-01T00:00:00Z' } };
    const before = Date.now();
    const handle = createGatewayHandler({ dataset });
    const item = parseCheck(await post(handle, '/v1/checks', checkBody([passport]))).items[0]!;
    expect(item.outcomes[0]!.dataAsOf).toBe('2025-01-01T00:00:00Z');
    expect(Date.parse(item.outcomes[1]!.dataAsOf!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers every well-formed check with a body the response schema accepts', async () => {
    const handle = createGatewayHandler();
    const name = fc.stringMatching(/^[A-Z][A-Z '-]{0,20}$/);
    const subject = fc.oneof(
      fc.record({
        kind: fc.constant('document'),
        documentNumber: fc.oneof(fc.constantFrom('L898902C3', 'D23145890', 'PX7734551'), fc.stringMatching(/^[A-Z0-9]{1,20}$/)),
        issuingState: fc.constantFrom('UTO', 'D', 'F'),
        documentType: fc.constantFrom('PASSPORT', 'ID_CARD', 'VISA', 'OTHER'),
      }),
      fc.record(
        {
          kind: fc.constant('person'),
          surname: fc.oneof(fc.constantFrom('STORGAARD', 'STORGARD', 'ERIKSSON', 'ERIKSON'), name),
          givenNames: fc.array(fc.oneof(fc.constantFrom('NILS', 'ERIK', 'ANNA', 'MARIA'), name), { maxLength: 3 }),
          dateOfBirth: fc.constantFrom('1968-03-22', '1974-08-12', '1974', '1968-03', '1990-01-01'),
        },
        { requiredKeys: ['kind', 'surname'] },
      ),
      fc.oneof(
        fc.record({ kind: fc.constant('vehicle'), vin: fc.oneof(fc.constant('WVWZZZ1JZXW000001'), fc.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/)) }),
        fc.record({ kind: fc.constant('vehicle'), plate: fc.constantFrom('AB-123 CD', 'AB123CD', 'XY 1'), registrationCountry: fc.constantFrom('UTO', 'D') }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(subject, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), async (items) => {
        const answer = parseCheck(await post(handle, '/v1/checks', checkBody(...items)));
        expect(answer.items).toHaveLength(items.length);
        for (const item of answer.items) {
          for (const outcome of item.outcomes) {
            const hits = item.hits.filter((h) => h.source === outcome.source);
            const expected = hits.some((h) => h.match.method !== 'FUZZY') ? 'HIT' : hits.length > 0 ? 'POSSIBLE_HIT' : 'NO_HIT';
            expect(outcome.status).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('answers NO_HIT for any document number that is not in the dataset', async () => {
    const handle = createGatewayHandler();
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z0-9]{1,20}$/), async (documentNumber) => {
        fc.pre(!['L898902C3', 'D23145890', 'PX7734551'].includes(documentNumber));
        const item = parseCheck(await post(handle, '/v1/checks', checkBody([{ ...passport, documentNumber }]))).items[0]!;
        expect(item.outcomes.map((o) => o.status)).toEqual(['NO_HIT', 'NO_HIT']);
      }),
    );
  });

  // Its speed is measured in `npm run bench`, never here: a timed assertion fails on a busy machine and proves nothing.
  it('finds every person of 1000 items in a dataset of 50,000, beside documents it does not hold', async () => {
    const persons = Array.from({ length: 50_000 }, (_, i) => ({
      recordId: `P-${i}`,
      surname: `SURNAME${String.fromCharCode(65 + (i % 26))}${i}`.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]!),
      givenNames: ['ANNA'],
      dateOfBirth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
      nationalities: ['UTO'],
      notice: { type: 'RED' as const, reference: `R-${i}`, requestingCountry: 'UTO' },
    }));
    const handle = createGatewayHandler({ dataset: { documents: [], linkedDocuments: [], vehicles: [], persons } });
    const items = Array.from({ length: 1000 }, (_, i) => [
      { kind: 'person', surname: persons[i * 7]!.surname, givenNames: ['ANNA'], dateOfBirth: persons[i * 7]!.dateOfBirth },
      { kind: 'document', documentNumber: `N${i}`, issuingState: 'UTO', documentType: 'PASSPORT' },
    ]);
    const body = JSON.stringify(checkBody(...items));
    const answer = parseCheck(await post(handle, '/v1/checks', body));
    expect(answer.items).toHaveLength(1000);
    expect(answer.items.every((i) => i.outcomes.some((o) => o.source === 'NOMINAL' && o.status === 'HIT'))).toBe(true);
    expect(answer.items.every((i) => i.outcomes.every((o) => o.source === 'NOMINAL' || o.status !== 'HIT'))).toBe(true);
  });
});

describe('errors', () => {
  const errorOf = (res: { body: string }) => errorBodySchema.parse(JSON.parse(res.body)).error;

  it('refuses a request without the bearer token with 401 UNAUTHENTICATED', async () => {
    const handle = createGatewayHandler({ token: 's3cret' });
    for (const authorization of [undefined, 'Bearer wrong', 's3cret']) {
      const res = await post(handle, '/v1/checks', checkBody([passport]), { authorization });
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('UNAUTHENTICATED');
    }
    expect((await post(handle, '/v1/checks', checkBody([passport]), { authorization: 'Bearer s3cret' })).status).toBe(200);
  });

  it('refuses a body that is not JSON with 400 INVALID_REQUEST', async () => {
    const handle = createGatewayHandler();
    for (const body of ['{"context":', '', '[1]', 'null']) {
      const res = await post(handle, '/v1/checks', body);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('INVALID_REQUEST');
    }
  });

  it('names each missing context field in details', async () => {
    const res = await post(createGatewayHandler(), '/v1/checks', { context: { authorityId: 'UTO-POLICE' }, items: [{ itemId: 'a', subjects: [passport] }] });
    expect(res.status).toBe(400);
    expect(errorOf(res).details).toEqual([
      { path: 'context.operatorId', message: 'is required' },
      { path: 'context.purpose', message: 'is required' },
    ]);
    const none = await post(createGatewayHandler(), '/v1/checks', { items: [{ itemId: 'a', subjects: [passport] }] });
    expect(errorOf(none).details).toEqual([{ path: 'context', message: 'is required' }]);
  });

  it('names bad subject fields by path and never echoes a searched value', async () => {
    const secret = 'SECRET-VALUE-4711';
    const body = checkBody([
      { kind: 'document', documentNumber: secret, issuingState: secret, documentType: secret },
      { kind: 'person', surname: 'A', dateOfBirth: secret },
      { kind: 'vehicle', plate: secret },
      { kind: secret },
    ]);
    const res = await post(createGatewayHandler(), '/v1/checks', body);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain(secret);
    expect(errorOf(res).details!.map((d) => d.path)).toEqual([
      'items.0.subjects.0.documentNumber',
      'items.0.subjects.0.issuingState',
      'items.0.subjects.0.documentType',
      'items.0.subjects.1.dateOfBirth',
      'items.0.subjects.2.registrationCountry',
      'items.0.subjects.3.kind',
    ]);
  });

  it('refuses more than 1000 items with 413 TOO_MANY_ITEMS', async () => {
    const items = Array.from({ length: 1001 }, (_, i) => ({ itemId: `i${i}`, subjects: [passport] }));
    const res = await post(createGatewayHandler(), '/v1/checks', { context, items });
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('TOO_MANY_ITEMS');
    const full = await post(createGatewayHandler(), '/v1/checks', { context, items: items.slice(0, 1000) });
    expect(parseCheck(full).items).toHaveLength(1000);
  });

  it('refuses repeated item ids and bad sources', async () => {
    const res = await post(createGatewayHandler(), '/v1/checks', {
      context,
      items: [
        { itemId: 'a', subjects: [passport] },
        { itemId: 'a', subjects: [passport], sources: ['SLTD', 'SLTD'] },
      ],
    });
    expect(errorOf(res).details!.map((d) => d.path)).toEqual(['items.1.itemId', 'items.1.sources']);
  });

  it('answers an unknown path with 404 NOT_FOUND and another method with 405', async () => {
    const handle = createGatewayHandler();
    const res = await post(handle, '/v2/checks', checkBody([passport]));
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
    const get = await handle({ method: 'GET', path: '/v1/checks', headers: {}, body: '' });
    expect(get.status).toBe(405);
  });

  it('routes on the path without its query string', async () => {
    expect((await post(createGatewayHandler(), '/v1/checks?trace=1', checkBody([passport]))).status).toBe(200);
  });
});

describe('POST /v1/reports/documents', () => {
  const reportBody = { context, report };

  it('stores a report (201) that a later check hits', async () => {
    const handle = createGatewayHandler();
    const res = await post(handle, '/v1/reports/documents', reportBody, { 'idempotency-key': 'key-k1-0001' });
    expect(res.status).toBe(201);
    const { recordId } = reportResponseSchema.parse(JSON.parse(res.body));
    expect(handle.reports).toMatchObject([{ recordId, idempotencyKey: 'key-k1-0001', authorityId: 'UTO-POLICE', report }]);
    const item = parseCheck(await post(handle, '/v1/checks', checkBody([{ kind: 'document', ...report }]))).items[0]!;
    expect(item.outcomes[0]).toMatchObject({ source: 'SLTD', status: 'HIT' });
    expect(item.hits[0]).toMatchObject({ recordId, ownerCountry: 'UTO', document: { status: 'STOLEN' } });
  });

  it('replays the same key and body with 200, the same record and idempotent-replayed: true', async () => {
    const handle = createGatewayHandler();
    const first = await post(handle, '/v1/reports/documents', reportBody, { 'idempotency-key': 'key-k1-0001' });
    const again = await post(handle, '/v1/reports/documents', { report, context }, { 'idempotency-key': 'key-k1-0001' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
    expect(handle.reports).toHaveLength(1);
  });

  it('refuses the same key with another body with 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const handle = createGatewayHandler();
    await post(handle, '/v1/reports/documents', reportBody, { 'idempotency-key': 'key-k1-0001' });
    const res = await post(handle, '/v1/reports/documents', { context, report: { ...report, status: 'LOST' } }, { 'idempotency-key': 'key-k1-0001' });
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(handle.reports).toHaveLength(1);
  });

  it('requires an idempotency key', async () => {
    const res = await post(createGatewayHandler(), '/v1/reports/documents', reportBody);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.details).toEqual([{ path: 'headers.idempotency-key', message: 'is required for a write' }]);
  });

  it('refuses an idempotency key outside 8 to 128 printable characters', async () => {
    for (const key of ['short', 'has a space in it', 'x'.repeat(129)]) {
      const res = await post(createGatewayHandler(), '/v1/reports/documents', reportBody, { 'idempotency-key': key });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.details[0].path).toBe('headers.idempotency-key');
    }
  });

  it('scopes idempotency keys to the credentials, so two clients’ keys never collide', async () => {
    const handle = createGatewayHandler();
    const key = { 'idempotency-key': 'same-key-0001' };
    const a = await post(handle, '/v1/reports/documents', reportBody, { ...key, authorization: 'Bearer a' });
    const b = await post(handle, '/v1/reports/documents', reportBody, { ...key, authorization: 'Bearer b' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(handle.reports).toHaveLength(2);
  });

  it('refuses a report on a document another state issued with 403 NOT_ISSUER', async () => {
    const handle = createGatewayHandler();
    const res = await post(handle, '/v1/reports/documents', { context: { ...context, authorityId: 'D-BKA' }, report }, { 'idempotency-key': 'key-k1-0001' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('NOT_ISSUER');
    expect(handle.reports).toHaveLength(0);
  });

  it('takes the authority state from issuerOf when given', async () => {
    const handle = createGatewayHandler({ issuerOf: (id) => (id === 'BPOL' ? 'UTO' : 'ZZZ') });
    const ok = await post(handle, '/v1/reports/documents', { context: { ...context, authorityId: 'BPOL' }, report }, { 'idempotency-key': 'key-k1-0001' });
    expect(ok.status).toBe(201);
  });

  it('names bad report fields by path', async () => {
    const res = await post(createGatewayHandler(), '/v1/reports/documents', { context, report: { ...report, status: 'GONE', documentType: undefined } }, { 'idempotency-key': 'key-k-0001' });
    expect(JSON.parse(res.body).error.details.map((d: { path: string }) => d.path)).toEqual(['report.documentType', 'report.status']);
  });
});

describe('POST /v1/reports/documents/{recordId}/withdrawal', () => {
  async function stored() {
    const handle = createGatewayHandler();
    const res = await post(handle, '/v1/reports/documents', { context, report }, { 'idempotency-key': 'key-r1-0001' });
    return { handle, recordId: JSON.parse(res.body).recordId as string };
  }

  it('withdraws a record, which then no longer hits', async () => {
    const { handle, recordId } = await stored();
    const res = await post(handle, `/v1/reports/documents/${recordId}/withdrawal`, { context, reason: 'RECOVERED' }, { 'idempotency-key': 'key-w1-0001' });
    expect(res.status).toBe(200);
    expect(withdrawalResponseSchema.parse(JSON.parse(res.body))).toMatchObject({ recordId, reason: 'RECOVERED' });
    expect(handle.reports[0]).toMatchObject({ withdrawnAt: expect.any(String), withdrawalReason: 'RECOVERED' });
    const item = parseCheck(await post(handle, '/v1/checks', checkBody([{ kind: 'document', ...report }]))).items[0]!;
    expect(item.outcomes[0]!.status).toBe('NO_HIT');
    expect(item.hits).toEqual([]);
  });

  it('replays the same key with the same answer and idempotent-replayed: true', async () => {
    const { handle, recordId } = await stored();
    const path = `/v1/reports/documents/${recordId}/withdrawal`;
    const first = await post(handle, path, { context, reason: 'RECOVERED' }, { 'idempotency-key': 'key-w1-0001' });
    const again = await post(handle, path, { context, reason: 'RECOVERED' }, { 'idempotency-key': 'key-w1-0001' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const other = await post(handle, path, { context, reason: 'DUPLICATE' }, { 'idempotency-key': 'key-w1-0001' });
    expect(other.status).toBe(409);
  });

  it('answers an unknown record with 404 NOT_FOUND', async () => {
    const res = await post(createGatewayHandler(), '/v1/reports/documents/SLTD-UTO-R999/withdrawal', { context, reason: 'OTHER' }, { 'idempotency-key': 'key-w-0001' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('NOT_FOUND');
  });

  it('refuses to withdraw another state’s record with 403 NOT_ISSUER', async () => {
    const res = await post(createGatewayHandler(), '/v1/reports/documents/SLTD-UTO-0001/withdrawal', { context: { ...context, authorityId: 'D-BKA' }, reason: 'OTHER' }, { 'idempotency-key': 'key-w-0001' });
    expect(res.status).toBe(403);
  });

  it('requires a known reason and an idempotency key', async () => {
    const { handle, recordId } = await stored();
    const res = await post(handle, `/v1/reports/documents/${recordId}/withdrawal`, { context, reason: 'BORED' });
    expect(JSON.parse(res.body).error.details.map((d: { path: string }) => d.path)).toEqual(['headers.idempotency-key', 'reason']);
  });
});
