// The check answer reader (src/protocol/check-answer.ts) is written for answers where nothing deviates: it keeps the
// path of what it reads as a stack and joins it only into a warning, and it looks enums up in sets. This holds it to a
// plain reading of the same rules and the same field tables (every path built as it goes, every enum an
// Array.includes): over valid answers of every kind of hit and over answers broken at any place, both give exactly the
// same items (values, key order, warnings and their paths, indexes, unreadable) or refuse with the same error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from 'borderlink';
import { DESCRIPTIVE_FIELDS, readCheckJson, type DescriptiveField, type DescriptiveRule } from '../../src/protocol/check-answer';
import { GATEWAY_REQUEST_ID, HIT_KINDS, MATCH_METHODS, MAX_LIST_LENGTH, MAX_TEXT_LENGTH, MAX_WARNINGS, WIRE_OUTCOME_STATUSES, WIRE_SOURCES } from '../../src/protocol/wire';
import { hits, item, type Json } from './answers';

// The plain reading: what the reader did before its paths were made lazy, over the reader's own tables.

type Warning = { code: 'GATEWAY_DEVIATION'; path: string };
class PlainReading {
  readonly warnings: Warning[] = [];
  unreadable = false;
  deviate(at: string, name?: string | number): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ code: 'GATEWAY_DEVIATION', path: name === undefined ? at : `${at}.${name}` });
  }
  drop(at: string, name?: string): undefined {
    this.deviate(at, name);
    this.unreadable = true;
    return undefined;
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOneOf = (values: readonly string[], v: unknown): v is string => typeof v === 'string' && values.includes(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT_LENGTH;

function plainField(value: unknown, rule: DescriptiveRule, at: string, name: string, required: boolean, r: PlainReading): unknown {
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
      if (rule.type === 'known' && ![...rule.values].includes(value)) r.deviate(at, name);
      return value;
    case 'texts': {
      if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH) {
        r.deviate(at, name);
        return undefined;
      }
      const out: string[] = [];
      value.forEach((v: unknown, i) => {
        if (typeof v === 'string' && v.length <= MAX_TEXT_LENGTH) out.push(v);
        else r.deviate(`${at}.${name}`, i);
      });
      return out;
    }
    case 'object': {
      if (!isObject(value)) {
        r.deviate(at, name);
        return undefined;
      }
      const out: Json = {};
      plainFields(value, rule.fields, `${at}.${name}`, out, r);
      return out;
    }
  }
}

function plainFields(from: Json, fields: readonly DescriptiveField[], at: string, into: Json, r: PlainReading): void {
  for (const [name, rule, required] of fields) {
    const value = plainField(from[name], rule, at, name, required, r);
    if (value !== undefined) into[name] = value;
  }
}

function plainOutcome(value: unknown, at: string, r: PlainReading): Json | undefined {
  if (!isObject(value)) return r.drop(at);
  const { source, status, dataAsOf } = value;
  if (!isOneOf(WIRE_SOURCES, source)) return r.drop(at, 'source');
  if (!isOneOf(WIRE_OUTCOME_STATUSES, status)) {
    r.deviate(at, 'status');
    return { source, status: 'ERROR' };
  }
  if (dataAsOf === undefined) return { source, status };
  if (typeof dataAsOf === 'string' && dataAsOf.length <= MAX_TEXT_LENGTH) return { source, status, dataAsOf };
  r.deviate(at, 'dataAsOf');
  return { source, status };
}

function plainHit(value: unknown, at: string, r: PlainReading): Json | undefined {
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
  const hit: Json = { hitId, source, recordId };
  plainFields(value, DESCRIPTIVE_FIELDS.hit.slice(0, 1), at, hit, r);
  const readMatch: Json = { method, score };
  plainFields(match, DESCRIPTIVE_FIELDS.match, `${at}.match`, readMatch, r);
  hit.match = readMatch;
  plainFields(value, DESCRIPTIVE_FIELDS.hit.slice(1), at, hit, r);
  hit.kind = kind;
  plainFields(value, DESCRIPTIVE_FIELDS.kinds[kind as keyof typeof DESCRIPTIVE_FIELDS.kinds], at, hit, r);
  return hit;
}

function plainList(given: unknown, name: string, readOne: (v: unknown, at: string, r: PlainReading) => Json | undefined, r: PlainReading) {
  if (!Array.isArray(given)) return { kept: [] as Json[], indexes: undefined, missing: r.drop(name) ?? true };
  const kept: Json[] = [];
  const at: number[] = [];
  let leftOut = false;
  given.forEach((v: unknown, i) => {
    const read = readOne(v, `${name}.${i}`, r);
    if (read === undefined) leftOut = true;
    else {
      kept.push(read);
      at.push(i);
    }
  });
  return { kept, indexes: leftOut ? at : undefined, missing: false };
}

function broken(path: string): ProtocolError {
  return new ProtocolError(`The gateway's answer does not match protocol v1 at ${path}`, { retryable: false, status: 200, issues: [{ path, message: 'does not match protocol v1' }] });
}

function plainRead(json: unknown): Json {
  if (!isObject(json)) throw broken('(root)');
  const items = json.items;
  if (!Array.isArray(items)) throw broken('items');
  const read = items.map((raw: unknown, i) => {
    if (!isObject(raw)) throw broken(`items.${i}`);
    if (typeof raw.itemId !== 'string') throw broken(`items.${i}.itemId`);
    const r = new PlainReading();
    const outcomes = plainList(raw.outcomes, 'outcomes', plainOutcome, r);
    const found = plainList(raw.hits, 'hits', plainHit, r);
    const out: Json = { itemId: raw.itemId, outcomes: outcomes.kept, hits: found.kept, warnings: r.warnings, unreadable: r.unreadable };
    if (outcomes.indexes !== undefined) out.outcomeIndexes = outcomes.indexes;
    if (found.indexes !== undefined) out.hitIndexes = found.indexes;
    return out;
  });
  const requestId = json.requestId;
  if (typeof requestId === 'string' && GATEWAY_REQUEST_ID.test(requestId)) return { gatewayRequestId: requestId, warnings: [], items: read };
  return { warnings: [{ code: 'GATEWAY_DEVIATION', path: 'requestId' }], items: read };
}

// Answers: valid ones of every kind of hit, then broken at any place of their tree.

const validItem = fc
  .record({
    sources: fc.subarray([...WIRE_SOURCES], { minLength: 1 }),
    found: fc.array(fc.constantFrom(hits.document, hits.linked, hits.person, hits.vehicle), { maxLength: 3 }),
    itemId: fc.constantFrom('1', '2', '17', 'row-1'),
  })
  .map(({ sources, found, itemId }) => item(itemId, sources, found.map((make) => make())));
const validAnswer = fc.record({ requestId: fc.constantFrom('gw-1', 'gw 1', ''), items: fc.array(validItem, { minLength: 1, maxLength: 3 }) });

/** What a gateway may put anywhere. */
const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.constant('x'.repeat(MAX_TEXT_LENGTH + 1)),
  fc.constantFrom(...WIRE_SOURCES, ...WIRE_OUTCOME_STATUSES, ...HIT_KINDS, ...MATCH_METHODS, 'STOLEN', 'RED', 'CONFIRMED', 'NOT_ASKED'),
  fc.constant([]),
  fc.constant(['a', 7, 'b']),
  fc.constant(Array.from({ length: MAX_LIST_LENGTH + 1 }, () => 'a')),
  fc.constant({}),
  fc.constant({ extra: 1 }),
);

/** Every place in a JSON tree, as the path of keys and indexes from its root. */
function places(value: unknown, at: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(at);
  if (Array.isArray(value)) value.forEach((v: unknown, i) => places(v, [...at, i], into));
  else if (isObject(value)) for (const key of Object.keys(value)) places(value[key], [...at, key], into);
  return into;
}

/** `value` with the place `pick` (an index into its places) set to `odd`, or left out where `odd` is undefined. */
function spoil(value: Json, pick: number, shared: unknown): Json {
  // A copy: fast-check hands out one object for a constant, and a later edit must not reach into an earlier one.
  const odd: unknown = structuredClone(shared);
  const all = places(value);
  const path = all[pick % all.length]!;
  if (path.length === 0) return odd;
  let parent = value;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1]!;
  if (odd === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = odd;
  return value;
}

const brokenAnswer = fc
  .tuple(validAnswer, fc.array(fc.tuple(fc.nat(), oddValue), { minLength: 1, maxLength: 4 }))
  .map(([answer, edits]) => edits.reduce<Json>((a, [pick, odd]) => spoil(a, pick, odd), structuredClone(answer)));

/** What the reader gives for `json`, or the error it refuses it with, as plain data. */
function outcomeOf(read: (json: unknown) => unknown, json: unknown): unknown {
  try {
    return { read: JSON.parse(JSON.stringify(read(structuredClone(json)))) as unknown, keys: JSON.stringify(read(structuredClone(json))) };
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    const e = err as ProtocolError;
    return { refused: e.message, issues: e.issues, retryable: e.retryable, status: e.status };
  }
}

describe('the check answer reader against a plain reading of the same rules', () => {
  it('reads every valid answer, with hits of every kind, exactly as the plain reading does', () => {
    fc.assert(
      fc.property(validAnswer, (answer) => {
        expect(outcomeOf((j) => readCheckJson(j, 200), answer)).toStrictEqual(outcomeOf(plainRead, answer));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same items, warnings, paths and indexes, or the same refusal, for answers broken anywhere', () => {
    let warned = 0;
    fc.assert(
      fc.property(brokenAnswer, (answer) => {
        const fast = outcomeOf((j) => readCheckJson(j, 200), answer);
        expect(fast).toStrictEqual(outcomeOf(plainRead, answer));
        const items = (fast as { read?: { items: { warnings: unknown[] }[] } }).read?.items ?? [];
        if (items.some((i) => i.warnings.length > 0)) warned++;
      }),
      { numRuns: 2000 },
    );
    // The generator must reach deviations, not only refusals.
    expect(warned).toBeGreaterThan(400);
  });
});
