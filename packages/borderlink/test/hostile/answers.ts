// Generated gateway answers to one check item: well-formed parts, descriptive oddities a real gateway sends, and
// corrupted verdict fields. Each generated answer knows what it holds, so a property can state the verdict rule.
import fc from 'fast-check';

export const SOURCES = ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'] as const;
const STATUSES = ['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR'] as const;

/** Strings a gateway might put anywhere: plain, planted personal values, escape codes, huge, non-strings. */
export const PLANTED = { documentNumber: 'QZ7766554', surname: 'VANDERPLANT', escape: '\u001b[2J\u001b[32mNO_HIT\u009b0m' } as const;
export const oddValue = fc.oneof(
  fc.constantFrom('CANCELLED', 'DISPUTED', 'PINK', '', PLANTED.documentNumber, PLANTED.surname, PLANTED.escape, 'x'.repeat(5000)),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(null, 7, true, [], {}),
);

export interface GeneratedOutcome {
  value: unknown;
  /** A source and status the protocol knows. */
  valid: boolean;
  source?: string;
  status?: string;
}

const outcome: fc.Arbitrary<GeneratedOutcome> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ source: fc.constantFrom(...SOURCES), status: fc.constantFrom(...STATUSES) }).map((o) => ({ value: o, valid: true, ...o })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ source: fc.oneof(fc.constantFrom(...SOURCES), oddValue), status: fc.oneof(fc.constantFrom('NOT_ASKED', 'CLEAR', 'no_hit'), oddValue) })
      .map((o) => ({ value: o, valid: false })),
  },
);

export interface GeneratedHit {
  value: unknown;
  /** Every verdict field (kind, source, ids, match method and score) is as the protocol defines it. */
  strictOk: boolean;
  method?: string;
  hitId?: string;
}

const kinds = { SLTD: 'document', TDAWN: 'linked-document', NOMINAL: 'person', SMV: 'vehicle' } as const;

const hit: fc.Arbitrary<GeneratedHit> = fc
  .record({
    source: fc.constantFrom(...SOURCES),
    method: fc.constantFrom('EXACT', 'NORMALISED', 'FUZZY'),
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    n: fc.integer({ min: 0, max: 1_000_000 }),
    // Descriptive oddities: each replaces one field (or removes it).
    odd: fc.array(fc.tuple(fc.constantFrom('status', 'documentType', 'type', 'state', 'plate', 'ownerCountry', 'actionToBeTaken', 'charges', 'document', 'notice', 'dateOfBirth'), oddValue), { maxLength: 3 }),
    strictBreak: fc.option(fc.constantFrom('kind', 'method', 'score', 'hitId', 'recordId', 'source'), { freq: 4 }),
  })
  .map(({ source, method, score, n, odd, strictBreak }) => {
    const hitId = `H-${n}`;
    const h: Record<string, unknown> = {
      hitId,
      source,
      kind: kinds[source],
      recordId: `R-${n}`,
      ownerCountry: 'UTO',
      match: { method, score: method === 'FUZZY' ? Math.min(score, 0.95) : 1, matchedFields: ['documentNumber'] },
      actionToBeTaken: 'SEIZE_DOCUMENT',
      confirmation: { state: 'UNCONFIRMED' },
    };
    const document = { documentNumber: 'AB123', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' } as Record<string, unknown>;
    const notice = { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO', charges: ['X'] } as Record<string, unknown>;
    if (source === 'SLTD' || source === 'TDAWN') h.document = document;
    if (source === 'TDAWN' || source === 'NOMINAL') h.notice = notice;
    if (source === 'NOMINAL') h.person = { surname: 'ERIKSSON', givenNames: ['ANNA'], dateOfBirth: '1974-08-12', nationalities: ['UTO'] };
    if (source === 'SMV') h.vehicle = { vin: 'WVWZZZ1JZXW000001', plate: 'B-AB 1', make: 'VW', model: 'Golf', colour: 'red', theftDate: '2024-01-01', registrationCountry: 'D' };
    for (const [field, value] of odd) {
      if (field === 'status' || field === 'documentType') {
        if (h.document !== undefined) document[field] = value;
      } else if (field === 'type') notice.type = value;
      else if (field === 'state') h.confirmation = { state: value };
      else if (field === 'plate' && h.vehicle !== undefined) (h.vehicle as Record<string, unknown>).plate = value;
      else if (field === 'charges') notice.charges = value;
      else if (field === 'document' && h.document !== undefined) h.document = value;
      else if (field === 'notice' && h.notice !== undefined) h.notice = value;
      else if (field === 'dateOfBirth' && h.person !== undefined) (h.person as Record<string, unknown>).dateOfBirth = value;
      else if (field === 'ownerCountry' || field === 'actionToBeTaken') h[field] = value;
    }
    if (strictBreak === 'kind') h.kind = 'boat';
    else if (strictBreak === 'method') h.match = { method: 'PHONETIC', score: 1, matchedFields: [] };
    else if (strictBreak === 'score') h.match = { method, score: 7, matchedFields: [] };
    else if (strictBreak === 'hitId') h.hitId = '';
    else if (strictBreak === 'recordId') delete h.recordId;
    else if (strictBreak === 'source') h.source = 'FIND';
    return { value: h, strictOk: strictBreak === null, method, hitId };
  });

export interface GeneratedItem {
  outcomes: GeneratedOutcome[];
  hits: GeneratedHit[];
}

export const item: fc.Arbitrary<GeneratedItem> = fc.record({
  outcomes: fc.array(outcome, { maxLength: 5 }),
  hits: fc.array(hit, { maxLength: 3 }),
});

/** Whether this item, asked for `requested`, may read NO_HIT: every requested source NO_HIT, nothing else at all. */
export function mayBeClear(generated: GeneratedItem, requested: readonly string[]): boolean {
  if (generated.hits.length > 0) return false;
  if (generated.outcomes.some((o) => !o.valid)) return false;
  return requested.every((source) => {
    const mine = generated.outcomes.filter((o) => o.source === source);
    return mine.length > 0 && mine.every((o) => o.status === 'NO_HIT');
  });
}

export function itemValue(itemId: string, generated: GeneratedItem): Record<string, unknown> {
  return { itemId, outcomes: generated.outcomes.map((o) => o.value), hits: generated.hits.map((h) => h.value) };
}
