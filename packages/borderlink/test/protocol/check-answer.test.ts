// Properties of reading a check answer, over generated answers: valid items with random descriptive garbage and random
// corruption of the fields the verdict depends on. Whatever the gateway says: NO_HIT only for a clean NO_HIT, no valid
// hit lost, no value (or key) of the answer in a warning path, and a conforming answer read exactly as the strict
// schema reads it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCheckResult, readCheckAnswer, readCheckJson } from '../../src/protocol/check-answer';
import { HIT_KINDS, KNOWN_VALUES, MATCH_METHODS, WIRE_OUTCOME_STATUSES, checkResponseSchema } from '../../src/protocol/wire';
import { SOURCES, type Source } from 'borderlink';
import { createClient, type Transport, type TransportResponse } from 'borderlink';
import { context, type Json } from './answers';

/** Every planted string starts with this, so a leak into a warning path is easy to see. */
const MARK = 'ZQX';

// Every field name of a check answer: a warning path may hold only these and indexes.
const FIELD_NAMES = new Set([
  'requestId', 'items', 'itemId', 'outcomes', 'hits', 'source', 'status', 'dataAsOf', 'hitId', 'kind', 'recordId', 'ownerCountry',
  'match', 'method', 'score', 'matchedFields', 'actionToBeTaken', 'confirmation', 'state', 'document', 'documentNumber',
  'issuingState', 'documentType', 'incidentDate', 'incidentCountry', 'notice', 'type', 'reference', 'requestingCountry',
  'charges', 'person', 'surname', 'givenNames', 'dateOfBirth', 'nationalities', 'vehicle', 'vin', 'plate', 'make', 'model',
  'colour', 'theftDate', 'registrationCountry',
]);

const planted = fc.string({ maxLength: 12 }).map((s) => MARK + s);
/** What a gateway may put where a descriptive value goes. `undefined` leaves the field out. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  planted,
  fc.constant(undefined),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(planted, { maxLength: 3 }),
  fc.dictionary(planted, planted, { maxKeys: 2 }),
  fc.constant(MARK.repeat(400)),
  fc.constant('\u001b[2J' + MARK),
);
const maybe = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: garbage });
const text = (s: string) => maybe(fc.constant(s));
const known = (values: readonly string[]) => maybe(fc.constantFrom(...values, `${MARK}NEW_VALUE`));
const texts = (s: string[]) => maybe(fc.constant(s));
/** Extra fields a newer gateway may send, with keys it chose. */
const extraKeys = fc.dictionary(planted, garbage, { maxKeys: 1 });

function record(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return maybe(fc.tuple(fc.record(fields), extraKeys).map(([r, extra]) => ({ ...dropUndefined(r), ...extra })));
}
function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const documentRecord = record({
  documentNumber: text('L898902C3'),
  issuingState: text('UTO'),
  documentType: known(KNOWN_VALUES.documentType),
  status: known(KNOWN_VALUES.documentStatus),
  incidentDate: fc.option(text('2023-03-14'), { nil: undefined }),
});
const notice = record({ type: known(KNOWN_VALUES.noticeType), reference: text('A-1/2024'), requestingCountry: text('UTO'), charges: fc.option(texts(['THEFT']), { nil: undefined }) });
const byKind: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  document: { document: documentRecord },
  'linked-document': { document: documentRecord, notice },
  person: { person: record({ surname: text('ERIKSSON'), givenNames: texts(['ANNA']), dateOfBirth: text('1974-08-12'), nationalities: texts(['UTO']) }), notice },
  vehicle: {
    vehicle: record({ vin: text('WVWZZZ1JZXW000001'), plate: text('UT-1'), make: text('VW'), model: text('Golf'), colour: text('blue'), theftDate: text('2025-01-02'), registrationCountry: text('UTO') }),
  },
};

/** A strict field broken (one hit in four), or none. */
const corruption = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.oneof(
    fc.constant<[string, unknown]>(['kind', `${MARK}boat`]),
    fc.constant<[string, unknown]>(['hitId', '']),
    fc.constant<[string, unknown]>(['hitId', 7]),
    fc.constant<[string, unknown]>(['hitId', undefined]),
    fc.constant<[string, unknown]>(['source', `${MARK}SRC`]),
    fc.constant<[string, unknown]>(['recordId', undefined]),
    fc.constant<[string, unknown]>(['match', `${MARK}match`]),
    fc.constant<[string, unknown]>(['match.method', `${MARK}PHONETIC`]),
    fc.constant<[string, unknown]>(['match.score', 1.5]),
    fc.constant<[string, unknown]>(['match.score', -0.01]),
    fc.constant<[string, unknown]>(['match.score', `${MARK}1`]),
    fc.constant<[string, unknown]>(['(whole)', `${MARK}hit`]),
  ),
);

interface GeneratedHit {
  raw: unknown;
  valid: boolean;
  hitId: string;
  method: string;
}

const hit = (index: number): fc.Arbitrary<GeneratedHit> =>
  fc
    .constantFrom(...HIT_KINDS)
    .chain((kind) =>
      fc.record({
        kind: fc.constant(kind),
        source: fc.constantFrom(...SOURCES),
        method: fc.constantFrom(...MATCH_METHODS),
        score: fc.double({ min: 0, max: 1, noNaN: true }),
        matchedFields: texts(['documentNumber']),
        ownerCountry: text('UTO'),
        actionToBeTaken: fc.option(text('SEIZE_DOCUMENT'), { nil: undefined }),
        confirmation: record({ state: known(KNOWN_VALUES.confirmationState) }),
        rest: fc.record(byKind[kind]!),
        extra: extraKeys,
        corruption,
      }),
    )
    .map((g) => {
      const hitId = `h-${index}`;
      const raw: Json = dropUndefined({
        hitId,
        source: g.source,
        kind: g.kind,
        recordId: `R-${index}`,
        ownerCountry: g.ownerCountry,
        match: dropUndefined({ method: g.method, score: g.score, matchedFields: g.matchedFields }),
        actionToBeTaken: g.actionToBeTaken,
        confirmation: g.confirmation,
        ...dropUndefined(g.rest),
        ...g.extra,
      });
      if (g.corruption === undefined) return { raw, valid: true, hitId, method: g.method };
      const [path, value] = g.corruption;
      if (path === '(whole)') return { raw: value, valid: false, hitId, method: g.method };
      const [head, tail] = path.split('.') as [string, string | undefined];
      const target = tail === undefined ? raw : raw[head];
      const key = tail ?? head;
      if (value === undefined) delete target[key];
      else target[key] = value;
      return { raw, valid: false, hitId, method: g.method };
    });

interface GeneratedOutcome {
  raw: unknown;
  /** The source, when the outcome names a known one. */
  source: Source | undefined;
  validNoHit: boolean;
}
const outcome: fc.Arbitrary<GeneratedOutcome> = fc
  .record({
    source: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<string | undefined>(...SOURCES) }, { weight: 1, arbitrary: fc.constantFrom(undefined, `${MARK}SRC`, 'sltd') }),
    status: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<unknown>(...WIRE_OUTCOME_STATUSES, 'NO_HIT', 'NO_HIT', 'NO_HIT') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('NOT_ASKED', `${MARK}MAYBE`, 3, null) }),
    dataAsOf: fc.option(text('2026-12-01T06:00:00Z'), { nil: undefined }),
    extra: extraKeys,
  })
  .map((o) => ({
    raw: dropUndefined({ source: o.source, status: o.status, dataAsOf: o.dataAsOf, ...o.extra }),
    source: (SOURCES as readonly unknown[]).includes(o.source) ? (o.source as Source) : undefined,
    validNoHit: o.status === 'NO_HIT' && (SOURCES as readonly unknown[]).includes(o.source),
  }));

const answer = fc
  .record({
    requested: fc.subarray([...SOURCES], { minLength: 1 }),
    outcomes: fc.array(outcome, { maxLength: 6 }),
    hitCount: fc.nat({ max: 3 }),
    requestId: fc.oneof(fc.constant<unknown>('gw-1'), garbage),
  })
  .chain((a) => fc.tuple(fc.constant(a), fc.tuple(...Array.from({ length: a.hitCount }, (_, i) => hit(i)))))
  .map(([a, generatedHits]) => {
    // Mostly a clean, complete set of outcomes, so NO_HIT is in reach; the generated ones spoil it some of the time.
    const outcomes = a.outcomes.length > 0 ? a.outcomes : a.requested.map((source) => ({ raw: { source, status: 'NO_HIT' }, source, validNoHit: true }));
    const body = dropUndefined({ requestId: a.requestId, items: [{ itemId: '1', outcomes: outcomes.map((o) => o.raw), hits: generatedHits.map((h) => h.raw) }] });
    return { requested: a.requested as Source[], outcomes, hits: generatedHits, body };
  });

function read(body: unknown, requested: Source[]) {
  const response: TransportResponse = { status: 200, headers: {}, body: JSON.stringify(body) };
  const parsed = readCheckAnswer(response);
  return buildCheckResult(parsed.items[0]!, requested, { requestId: 'client-id', attempts: 1, durationMs: 1 }, parsed);
}

describe('reading generated check answers', () => {
  it('is NO_HIT only when every requested outcome is a valid NO_HIT and no hit, valid or broken, was present', () => {
    fc.assert(
      fc.property(answer, ({ requested, outcomes, hits, body }) => {
        const result = read(body, requested);
        if (result.verdict !== 'NO_HIT') return;
        expect(hits).toHaveLength(0);
        for (const source of requested) {
          const given = outcomes.filter((o) => o.source === source);
          expect(given.length).toBeGreaterThan(0);
          expect(given.every((o) => o.validNoHit)).toBe(true);
        }
        expect(result.outcomes.every((o) => o.status === 'NO_HIT')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every valid hit, in order, and lets none of them read clear', () => {
    fc.assert(
      fc.property(answer, ({ requested, hits, body }) => {
        const result = read(body, requested);
        const valid = hits.filter((h) => h.valid);
        expect(result.hits.map((h) => h.hitId)).toEqual(valid.map((h) => h.hitId));
        if (valid.some((h) => h.method !== 'FUZZY')) expect(result.verdict).toBe('HIT');
        else if (valid.length > 0) expect(result.verdict).toBe('POSSIBLE_HIT');
        if (hits.some((h) => !h.valid)) expect(result.verdict).not.toBe('NO_HIT');
      }),
      { numRuns: 2000 },
    );
  });

  it('never puts a value or a key of the answer into a warning path', () => {
    fc.assert(
      fc.property(answer, ({ requested, body }) => {
        const result = read(body, requested);
        for (const w of result.warnings) {
          expect(w.code).toBe('GATEWAY_DEVIATION');
          expect(w.path).not.toContain(MARK);
          for (const segment of w.path.split('.')) expect(/^\d+$/.test(segment) || FIELD_NAMES.has(segment), w.path).toBe(true);
        }
        expect(result.warnings.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every answer the strict schema accepts exactly as the schema does, with no warning', () => {
    let accepted = 0;
    fc.assert(
      fc.property(answer, ({ body }) => {
        const strict = checkResponseSchema.safeParse(body);
        if (!strict.success) return;
        accepted++;
        const read = readCheckJson(JSON.parse(JSON.stringify(body)), 200);
        expect(read.gatewayRequestId).toBe(strict.data.requestId);
        expect(read.warnings).toEqual([]);
        const [item] = read.items;
        const [expected] = strict.data.items;
        expect(JSON.stringify({ outcomes: item!.outcomes, hits: item!.hits })).toBe(JSON.stringify({ outcomes: expected!.outcomes, hits: expected!.hits }));
        expect(item!.warnings).toEqual([]);
        expect(item!.unreadable).toBe(false);
      }),
      { numRuns: 3000 },
    );
    // The generator must produce conforming answers often enough for this to mean something.
    expect(accepted).toBeGreaterThan(100);
  });

  it('holds through the client: whatever the answer, a result (never a hit lost to an error) and NO_HIT only when clean', async () => {
    let next = '';
    const transport: Transport = {
      endpoint: 'test://generated',
      send: () => Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: next }),
      close: () => Promise.resolve(),
    };
    const client = createClient({ transport, context, retry: false, breaker: false });
    const subjects = [
      { kind: 'document' as const, documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' as const },
      { kind: 'person' as const, surname: 'ERIKSSON', givenNames: ['ANNA'] },
      { kind: 'vehicle' as const, vin: 'WVWZZZ1JZXW000001' },
    ];
    try {
      await fc.assert(
        fc.asyncProperty(answer, async ({ requested, outcomes, hits, body }) => {
          next = JSON.stringify(body);
          const result = await client.check({ subjects, sources: requested });
          expect(result.requestId).not.toBe('gw-1');
          expect(result.hits.map((h) => h.hitId)).toEqual(hits.filter((h) => h.valid).map((h) => h.hitId));
          if (result.verdict === 'NO_HIT') {
            expect(hits).toHaveLength(0);
            for (const source of requested) expect(outcomes.filter((o) => o.source === source).every((o) => o.validNoHit)).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      await client.close();
    }
  });
});
