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
// never reach them. A path is kept as a stack of those names and indexes while reading, and joined only when a field
// deviates: a clean answer makes no path at all.
import { ProtocolError, type ResponseInfo } from '../errors/index';
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

/** How a descriptive field is read. `known`: an open enum, any string, with a warning for a value not listed. @internal */
export type DescriptiveRule =
  | { type: 'text' }
  | { type: 'texts' }
  | { type: 'known'; values: ReadonlySet<string> }
  | { type: 'object'; fields: readonly DescriptiveField[] };
/** A descriptive field: its protocol name, how it is read, and whether protocol v1 requires it. @internal */
export type DescriptiveField = readonly [name: string, rule: DescriptiveRule, required: boolean];

const text: DescriptiveRule = { type: 'text' };
const texts: DescriptiveRule = { type: 'texts' };
const known = (values: readonly string[]): DescriptiveRule => ({ type: 'known', values: new Set(values) });
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
 * this reading to docs/openapi.yaml, and a property test holds the reader to a plain walk of these tables.
 * @internal
 */
export const DESCRIPTIVE_FIELDS = Object.freeze({
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
  readFields(from, fields, into, new Reading());
}

/** The rules of descriptive fields, for the readers of the second line's answers to build their tables from. @internal */
export const DESCRIPTIVE_RULES = Object.freeze({ text, texts, known, object });

/**
 * What could be read of `from`'s descriptive `fields`, into `into`, and a warning for each that could not, at its path
 * under `at` (`''`: the fields' own names). @internal
 */
export function readDescriptiveFieldsWarned(from: Json, fields: readonly DescriptiveField[], at: string, into: Json): GatewayWarning[] {
  const r = new Reading();
  if (at !== '') r.enter(at);
  readFields(from, fields, into, r);
  return r.warnings;
}

const HIT_BEFORE_MATCH = DESCRIPTIVE_FIELDS.hit.slice(0, 1);
const HIT_AFTER_MATCH = DESCRIPTIVE_FIELDS.hit.slice(1);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The strict enums as sets, made once from their tables in queries/values.ts.
const SOURCE_SET: ReadonlySet<string> = new Set(WIRE_SOURCES);
const OUTCOME_STATUS_SET: ReadonlySet<string> = new Set(WIRE_OUTCOME_STATUSES);
const HIT_KIND_SET: ReadonlySet<string> = new Set(HIT_KINDS);
const MATCH_METHOD_SET: ReadonlySet<string> = new Set(MATCH_METHODS);

/** Whether `value` is one of `values`: a set made from the enum table of `T`. */
function isOneOf<T extends string>(values: ReadonlySet<string>, value: unknown): value is T {
  return typeof value === 'string' && values.has(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_LENGTH;
}

// This runs on every check answer that is not read straight from its text (clean-answer.ts): every answer with a hit.
// It is written for the case where nothing deviates (bench/answer.ts): no path is made, enums are looked up in sets,
// loops are plain index loops, and one Reading serves every item of an answer.

/** What the reading of one item found wrong, and where the reading is. */
class Reading {
  warnings: GatewayWarning[] = [];
  unreadable = false;
  /** The field names and indexes from the item down to the element being read, joined only into a warning's path. */
  readonly at: (string | number)[] = [];
  /** Starts the next item: its own warnings, nothing unreadable yet. */
  next(): void {
    this.warnings = [];
    this.unreadable = false;
  }
  enter(segment: string | number): void {
    this.at.push(segment);
  }
  leave(): void {
    this.at.pop();
  }
  /** The field `name` of the element being read (or, without a name, the element itself) deviates. */
  deviate(name?: string | number): void {
    if (this.warnings.length >= MAX_WARNINGS) return;
    const at = this.at.join('.');
    this.warnings.push({ code: 'GATEWAY_DEVIATION', path: name === undefined ? at : at === '' ? String(name) : `${at}.${name}` });
  }
  /** A strict field failed: the element is left out, and the item can no longer be clear. */
  drop(name?: string): undefined {
    this.deviate(name);
    this.unreadable = true;
    return undefined;
  }
}

/** One descriptive field `name` of the object being read. */
function readField(value: unknown, rule: DescriptiveRule, name: string, required: boolean, r: Reading): unknown {
  if (value === undefined) {
    if (required) r.deviate(name);
    return undefined;
  }
  switch (rule.type) {
    case 'text':
    case 'known':
      if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) {
        r.deviate(name);
        return undefined;
      }
      if (rule.type === 'known' && !rule.values.has(value)) r.deviate(name);
      return value;
    case 'texts': {
      if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH) {
        r.deviate(name);
        return undefined;
      }
      const out: string[] = new Array<string>(value.length);
      let n = 0;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string' && v.length <= MAX_TEXT_LENGTH) out[n++] = v;
        else {
          r.enter(name);
          r.deviate(i);
          r.leave();
        }
      }
      out.length = n;
      return out;
    }
    case 'object': {
      if (!isObject(value)) {
        r.deviate(name);
        return undefined;
      }
      const out: Json = {};
      r.enter(name);
      readFields(value, rule.fields, out, r);
      r.leave();
      return out;
    }
  }
}

function readFields(from: Json, fields: readonly DescriptiveField[], into: Json, r: Reading): void {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const name = field[0];
    const value = readField(from[name], field[1], name, field[2], r);
    if (value !== undefined) into[name] = value;
  }
}

function readOutcome(value: unknown, r: Reading): SourceOutcome | undefined {
  if (!isObject(value)) return r.drop();
  const { source, status } = value;
  // Without a source the outcome cannot be matched to a question: it could have been any of them.
  if (!isOneOf<Source>(SOURCE_SET, source)) return r.drop('source');
  if (!isOneOf<SourceOutcome['status']>(OUTCOME_STATUS_SET, status)) {
    // Its source is known: that source failed, whatever another outcome of it says.
    r.deviate('status');
    return { source, status: 'ERROR' };
  }
  const dataAsOf = value.dataAsOf;
  if (dataAsOf === undefined) return { source, status };
  if (typeof dataAsOf === 'string' && dataAsOf.length <= MAX_TEXT_LENGTH) return { source, status, dataAsOf };
  r.deviate('dataAsOf');
  return { source, status };
}

/** The hit's match failed its strict field `name`: the hit is left out. */
function dropMatch(r: Reading, name: string): undefined {
  r.enter('match');
  r.drop(name);
  r.leave();
  return undefined;
}

function readHit(value: unknown, r: Reading): Hit | undefined {
  // Every strict field first: a hit that is left out gets one warning, not one per field.
  if (!isObject(value)) return r.drop();
  const { kind, hitId, source, recordId, match } = value;
  if (!isOneOf<Hit['kind']>(HIT_KIND_SET, kind)) return r.drop('kind');
  if (!isId(hitId)) return r.drop('hitId');
  if (!isOneOf<Source>(SOURCE_SET, source)) return r.drop('source');
  if (!isId(recordId)) return r.drop('recordId');
  if (!isObject(match)) return r.drop('match');
  const { method, score } = match;
  if (!isOneOf(MATCH_METHOD_SET, method)) return dropMatch(r, 'method');
  if (!(typeof score === 'number' && score >= 0 && score <= 1)) return dropMatch(r, 'score');
  // Field order as in the strict schema, so both give the same JSON.
  const hit: Json = { hitId, source, recordId };
  readFields(value, HIT_BEFORE_MATCH, hit, r);
  const readMatch: Json = { method, score };
  r.enter('match');
  readFields(match, DESCRIPTIVE_FIELDS.match, readMatch, r);
  r.leave();
  hit.match = readMatch;
  readFields(value, HIT_AFTER_MATCH, hit, r);
  hit.kind = kind;
  readFields(value, DESCRIPTIVE_FIELDS.kinds[kind], hit, r);
  return hit as unknown as Hit;
}

/** The indexes 0 to n - 1: the kept elements' indexes in the answer, up to the first one left out. */
function firstIndexes(n: number): number[] {
  const indexes = new Array<number>(n);
  for (let k = 0; k < n; k++) indexes[k] = k;
  return indexes;
}

function readItem(raw: Json, r: Reading): CheckItemResponse {
  r.next();
  const outcomes: SourceOutcome[] = [];
  const hits: Hit[] = [];
  // Indexes are kept only once an element was left out: until then the kept ones are 0, 1, 2…
  let outcomeIndexes: number[] | undefined;
  let hitIndexes: number[] | undefined;
  const given = raw.outcomes;
  if (Array.isArray(given)) {
    r.enter('outcomes');
    for (let i = 0; i < given.length; i++) {
      r.enter(i);
      const o = readOutcome(given[i], r);
      r.leave();
      if (o === undefined) outcomeIndexes ??= firstIndexes(outcomes.length);
      else {
        outcomes.push(o);
        outcomeIndexes?.push(i);
      }
    }
    r.leave();
  } else r.drop('outcomes');
  const found = raw.hits;
  if (Array.isArray(found)) {
    r.enter('hits');
    for (let i = 0; i < found.length; i++) {
      r.enter(i);
      const h = readHit(found[i], r);
      r.leave();
      if (h === undefined) hitIndexes ??= firstIndexes(hits.length);
      else {
        hits.push(h);
        hitIndexes?.push(i);
      }
    }
    r.leave();
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
  const r = new Reading();
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (!isObject(item)) throw broken(`items.${i}`, status);
    if (typeof item.itemId !== 'string') throw broken(`items.${i}.itemId`, status);
    read[i] = readItem(item, r);
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
  meta: { requestId: string; attempts: number; durationMs: number; response?: ResponseInfo | undefined },
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
