// Reading a 2xx check answer: strict where the verdict depends on it, lenient where a field only describes a record.
//
// Strict: the answer's shape (an object with an `items` array of objects, each with a string `itemId`: without it no
// answer can be matched to its question, so a break there is a ProtocolError), and per element the outcome's source and
// status and the hit's kind, hitId, source, recordId, match.method and match.score. An element whose strict field
// fails is left out with a warning, never guessed into a clearer answer: an outcome of a known source becomes `ERROR`
// for that source; any other element left out marks the item unreadable, which forbids `NO_HIT` (computeVerdict).
// Lenient: every other field. Missing, of the wrong type or too long, it is left undefined with a warning; a value an
// open enum does not list is kept, with a warning. One odd descriptive value never costs the hit.
//
// Warning paths are built from the field names in the tables below and array indexes only: a gateway's keys and values
// never reach them.
import { ProtocolError } from '../errors/index';
import { checkResultOf } from '../queries/results';
import type { CheckResult, GatewayWarning, Hit, Source, SourceOutcome } from '../queries/types';
import type { TransportResponse } from '../transport/types';
import { readJson } from './body';
import { readCleanCheckText } from './clean-answer';
import {
  GATEWAY_REQUEST_ID,
  HIT_KINDS,
  KNOWN_VALUES,
  MATCH_METHODS,
  MAX_LIST_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_WARNINGS,
  WIRE_OUTCOME_STATUSES,
  WIRE_SOURCES,
  type CheckItemResponse,
  type CheckResponse,
} from './wire';

/** How a descriptive field is read. `known`: an open enum, any string, with a warning for a value not listed. */
type DescriptiveRule = { type: 'text' } | { type: 'texts' } | { type: 'known'; values: readonly string[] } | { type: 'object'; fields: readonly DescriptiveField[] };
/** A descriptive field: its protocol name, how it is read, and whether protocol v1 requires it. */
type DescriptiveField = readonly [name: string, rule: DescriptiveRule, required: boolean];

const text: DescriptiveRule = { type: 'text' };
const texts: DescriptiveRule = { type: 'texts' };
const known = (values: readonly string[]): DescriptiveRule => ({ type: 'known', values });
const object = (fields: readonly DescriptiveField[]): DescriptiveRule => ({ type: 'object', fields });

const DOCUMENT_RECORD: readonly DescriptiveField[] = [
  ['documentNumber', text, true],
  ['issuingState', text, true],
  ['documentType', known(KNOWN_VALUES.documentType), true],
  ['status', known(KNOWN_VALUES.documentStatus), true],
  ['incidentDate', text, false],
  ['incidentCountry', text, false],
];
const NOTICE: readonly DescriptiveField[] = [
  ['type', known(KNOWN_VALUES.noticeType), true],
  ['reference', text, true],
  ['requestingCountry', text, true],
  ['charges', texts, false],
];
const PERSON_RECORD: readonly DescriptiveField[] = [
  ['surname', text, true],
  ['givenNames', texts, true],
  ['dateOfBirth', text, true],
  ['nationalities', texts, true],
];
const VEHICLE_RECORD: readonly DescriptiveField[] = [
  ['vin', text, true],
  ['plate', text, true],
  ['make', text, true],
  ['model', text, true],
  ['colour', text, true],
  ['theftDate', text, true],
  ['registrationCountry', text, true],
];

/**
 * The descriptive fields of a hit, by where they are. The strict fields are not here: they are checked one by one in
 * readHit and readOutcome (which also reads an outcome's one descriptive field, `dataAsOf`). The OpenAPI test holds
 * this reading to docs/openapi.yaml.
 */
const DESCRIPTIVE_FIELDS = Object.freeze({
  /** In every hit, after hitId, source and recordId. */
  hit: [
    ['ownerCountry', text, true],
    ['actionToBeTaken', text, false],
    ['confirmation', object([['state', known(KNOWN_VALUES.confirmationState), true]]), true],
  ] as readonly DescriptiveField[],
  match: [
    ['matchedFields', texts, true],
    ['matchedVariant', object([['surname', text, true], ['givenNames', texts, true]]), false],
  ] as readonly DescriptiveField[],
  /** What each kind of hit adds. */
  kinds: {
    document: [['document', object(DOCUMENT_RECORD), true]],
    'linked-document': [
      ['document', object(DOCUMENT_RECORD), true],
      ['notice', object(NOTICE), true],
    ],
    person: [
      ['person', object(PERSON_RECORD), true],
      ['notice', object(NOTICE), true],
    ],
    vehicle: [['vehicle', object(VEHICLE_RECORD), true]],
  } as Readonly<Record<Hit['kind'], readonly DescriptiveField[]>>,
});

/**
 * The descriptive fields of a snapshot's record (protocol/snapshot.ts), which describe what a hit answered from the
 * offline copy shows: read by the rules of a hit's, so the copy and the network describe a record alike. @internal
 */
export const RECORD_FIELDS = Object.freeze({
  /** `ownerCountry` and `actionToBeTaken`, as in every hit. */
  base: DESCRIPTIVE_FIELDS.hit.slice(0, 2),
  document: DOCUMENT_RECORD,
  notice: NOTICE,
  person: PERSON_RECORD,
  vehicle: VEHICLE_RECORD,
});

/** What could be read of `from`'s descriptive `fields`, into `into`; a field that could not is left out. @internal */
export function readDescriptiveFields(from: Json, fields: readonly DescriptiveField[], into: Json): void {
  readFields(from, fields, '', into, new Reading());
}

const HIT_BEFORE_MATCH = DESCRIPTIVE_FIELDS.hit.slice(0, 1);
const HIT_AFTER_MATCH = DESCRIPTIVE_FIELDS.hit.slice(1);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_LENGTH;
}

// This runs on every check answer, clean or not, so it is written for the clean case (bench/answer.ts): a path is
// joined only when something deviates, and loops are plain index loops.

/** What one item's reading found wrong. */
class Reading {
  readonly warnings: GatewayWarning[] = [];
  unreadable = false;
  deviate(at: string, name?: string | number): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ code: 'GATEWAY_DEVIATION', path: name === undefined ? at : `${at}.${name}` });
  }
  /** A strict field failed: the element is left out, and the item can no longer be clear. */
  drop(at: string, name?: string): undefined {
    this.deviate(at, name);
    this.unreadable = true;
    return undefined;
  }
}

/** One descriptive field `name` of the object at path `at`. */
function readField(value: unknown, rule: DescriptiveRule, at: string, name: string, required: boolean, r: Reading): unknown {
  if (value === undefined) {
    if (required) r.deviate(at, name);
    return undefined;
  }
  switch (rule.type) {
    case 'text':
    case 'known':
      if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) {
        r.deviate(at, name);
        return undefined;
      }
      if (rule.type === 'known' && !rule.values.includes(value)) r.deviate(at, name);
      return value;
    case 'texts': {
      if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH) {
        r.deviate(at, name);
        return undefined;
      }
      const out: string[] = new Array<string>(value.length);
      let n = 0;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string' && v.length <= MAX_TEXT_LENGTH) out[n++] = v;
        else r.deviate(`${at}.${name}`, i);
      }
      out.length = n;
      return out;
    }
    case 'object': {
      if (!isObject(value)) {
        r.deviate(at, name);
        return undefined;
      }
      const out: Json = {};
      readFields(value, rule.fields, `${at}.${name}`, out, r);
      return out;
    }
  }
}

function readFields(from: Json, fields: readonly DescriptiveField[], at: string, into: Json, r: Reading): void {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const name = field[0];
    const value = readField(from[name], field[1], at, name, field[2], r);
    if (value !== undefined) into[name] = value;
  }
}

function readOutcome(value: unknown, at: string, r: Reading): SourceOutcome | undefined {
  if (!isObject(value)) return r.drop(at);
  const { source, status } = value;
  // Without a source the outcome cannot be matched to a question: it could have been any of them.
  if (!isOneOf(WIRE_SOURCES, source)) return r.drop(at, 'source');
  if (!isOneOf(WIRE_OUTCOME_STATUSES, status)) {
    // Its source is known: that source failed, whatever another outcome of it says.
    r.deviate(at, 'status');
    return { source, status: 'ERROR' };
  }
  const dataAsOf = value.dataAsOf;
  if (dataAsOf === undefined) return { source, status };
  if (typeof dataAsOf === 'string' && dataAsOf.length <= MAX_TEXT_LENGTH) return { source, status, dataAsOf };
  r.deviate(at, 'dataAsOf');
  return { source, status };
}

function readHit(value: unknown, at: string, r: Reading): Hit | undefined {
  // Every strict field first: a hit that is left out gets one warning, not one per field.
  if (!isObject(value)) return r.drop(at);
  const { kind, hitId, source, recordId, match } = value;
  if (!isOneOf(HIT_KINDS, kind)) return r.drop(at, 'kind');
  if (!isId(hitId)) return r.drop(at, 'hitId');
  if (!isOneOf(WIRE_SOURCES, source)) return r.drop(at, 'source');
  if (!isId(recordId)) return r.drop(at, 'recordId');
  if (!isObject(match)) return r.drop(at, 'match');
  const { method, score } = match;
  if (!isOneOf(MATCH_METHODS, method)) return r.drop(`${at}.match`, 'method');
  if (!(typeof score === 'number' && score >= 0 && score <= 1)) return r.drop(`${at}.match`, 'score');
  // Field order as in the strict schema, so both give the same JSON.
  const hit: Json = { hitId, source, recordId };
  readFields(value, HIT_BEFORE_MATCH, at, hit, r);
  const readMatch: Json = { method, score };
  readFields(match, DESCRIPTIVE_FIELDS.match, `${at}.match`, readMatch, r);
  hit.match = readMatch;
  readFields(value, HIT_AFTER_MATCH, at, hit, r);
  hit.kind = kind;
  readFields(value, DESCRIPTIVE_FIELDS.kinds[kind], at, hit, r);
  return hit as unknown as Hit;
}

function readItem(raw: Json): CheckItemResponse {
  const r = new Reading();
  const outcomes: SourceOutcome[] = [];
  const hits: Hit[] = [];
  // Indexes are kept only once an element was left out: until then the kept ones are 0, 1, 2…
  let outcomeIndexes: number[] | undefined;
  let hitIndexes: number[] | undefined;
  const given = raw.outcomes;
  if (Array.isArray(given)) {
    for (let i = 0; i < given.length; i++) {
      const o = readOutcome(given[i], `outcomes.${i}`, r);
      if (o === undefined) outcomeIndexes ??= Array.from({ length: outcomes.length }, (_, k) => k);
      else {
        outcomes.push(o);
        outcomeIndexes?.push(i);
      }
    }
  } else r.drop('outcomes');
  const found = raw.hits;
  if (Array.isArray(found)) {
    for (let i = 0; i < found.length; i++) {
      const h = readHit(found[i], `hits.${i}`, r);
      if (h === undefined) hitIndexes ??= Array.from({ length: hits.length }, (_, k) => k);
      else {
        hits.push(h);
        hitIndexes?.push(i);
      }
    }
  } else r.drop('hits'); // no list of hits: whether there was one cannot be known
  const item: CheckItemResponse = { itemId: raw.itemId as string, outcomes, hits, warnings: r.warnings, unreadable: r.unreadable };
  if (outcomeIndexes !== undefined) item.outcomeIndexes = outcomeIndexes;
  if (hitIndexes !== undefined) item.hitIndexes = hitIndexes;
  return item;
}

function broken(path: string, status: number): ProtocolError {
  return new ProtocolError(`The gateway's answer does not match protocol v1 at ${path}`, {
    retryable: false,
    status,
    issues: [{ path, message: 'does not match protocol v1' }],
  });
}

/**
 * Reads a parsed check answer. For an answer the strict schema of wire.ts accepts, it gives exactly what that schema
 * gives, with no warning (a property test holds it to that).
 * @internal
 */
export function readCheckJson(json: unknown, status: number): CheckResponse {
  if (!isObject(json)) throw broken('(root)', status);
  const items = json.items;
  if (!Array.isArray(items)) throw broken('items', status);
  const read: CheckItemResponse[] = new Array<CheckItemResponse>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (!isObject(item)) throw broken(`items.${i}`, status);
    if (typeof item.itemId !== 'string') throw broken(`items.${i}.itemId`, status);
    read[i] = readItem(item);
  }
  const requestId = json.requestId;
  if (typeof requestId === 'string' && GATEWAY_REQUEST_ID.test(requestId)) return { gatewayRequestId: requestId, warnings: [], items: read };
  return { warnings: [{ code: 'GATEWAY_DEVIATION', path: 'requestId' }], items: read };
}

/**
 * Reads a 2xx answer to `POST /v1/checks`: a clean answer straight from its text (clean-answer.ts), any other through
 * JSON.parse and readCheckJson, which give the same value for a clean one.
 * @throws {ProtocolError} retryable when the body is not JSON; not retryable when it is not an object with an `items`
 * array of objects that each have a string `itemId`.
 */
export function readCheckAnswer(response: TransportResponse): CheckResponse {
  return readCleanCheckText(response.body) ?? readCheckJson(readJson(response), response.status);
}

function hasHitFrom(hits: readonly Hit[], source: Source): boolean {
  for (const h of hits) if (h.source === source) return true;
  return false;
}

/**
 * Answers that read fine alone but not together: a hit from a source nobody asked (it still counts), an outcome for a
 * source nobody asked (ignored), a `HIT` outcome with no hit from its source, a `NO_HIT` outcome beside a hit from
 * its source. None can make the verdict clearer; each is a warning, at the path of the answer it was read from.
 */
function inconsistencies(item: CheckItemResponse, requested: readonly Source[], into: GatewayWarning[]): void {
  const { hits, outcomes, hitIndexes, outcomeIndexes } = item;
  for (let k = 0; k < hits.length; k++) {
    if (!requested.includes(hits[k]!.source)) into.push({ code: 'GATEWAY_DEVIATION', path: `hits.${hitIndexes?.[k] ?? k}.source` });
  }
  for (let k = 0; k < outcomes.length; k++) {
    const { source, status } = outcomes[k]!;
    const at = outcomeIndexes?.[k] ?? k;
    if (!requested.includes(source)) into.push({ code: 'GATEWAY_DEVIATION', path: `outcomes.${at}.source` });
    else if (status === 'HIT' ? !hasHitFrom(hits, source) : status === 'NO_HIT' && hasHitFrom(hits, source)) {
      into.push({ code: 'GATEWAY_DEVIATION', path: `outcomes.${at}.status` });
    }
  }
}

/**
 * The CheckResult of one item of a read answer: its warnings (the answer's, the item's, then what does not add up
 * against the sources requested, capped) and its outcomes and hits go to the verdict rule as domain values.
 * @internal
 */
export function buildCheckResult(
  item: CheckItemResponse,
  requested: readonly Source[],
  meta: { requestId: string; attempts: number; durationMs: number },
  answer?: { gatewayRequestId?: string | undefined; warnings: readonly GatewayWarning[] },
): CheckResult {
  const warnings: GatewayWarning[] = answer === undefined || answer.warnings.length === 0 ? [] : [...answer.warnings];
  for (const w of item.warnings) warnings.push(w);
  inconsistencies(item, requested, warnings);
  if (warnings.length > MAX_WARNINGS) warnings.length = MAX_WARNINGS;
  return checkResultOf(
    { outcomes: item.outcomes, hits: item.hits, warnings, unreadable: item.unreadable === true, gatewayRequestId: answer?.gatewayRequestId },
    requested,
    meta,
  );
}
