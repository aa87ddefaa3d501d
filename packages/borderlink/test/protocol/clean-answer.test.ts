// A clean check answer is read straight from its text (src/protocol/clean-answer.ts). These properties hold that
// reader to the general one (readCheckJson over JSON.parse): over generated answers and hostile edits of their text,
// wherever the text reader gives a value, the general reader gives the same value, key order included, and it gives
// none where the general reader refuses or warns. And the text reader must really read what gateways send: the mock
// gateway's clean answers are read by it, not passed on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mockTransport } from 'borderlink/testing';
import { readCheckAnswer, readCheckJson } from '../../src/protocol/check-answer';
import { readCleanCheckText } from '../../src/protocol/clean-answer';
import { WIRE_OUTCOME_STATUSES } from '../../src/protocol/wire';
import { SOURCES } from '../../src/queries/values';
import { context } from './answers';

/** Any UTF-16 code unit, lone surrogates, quotes, backslashes and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyString = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', 'a"b', 'a\\b', '\u0000', '\n', '\u2028', '\ud800', 'x'.repeat(1001), 'x'.repeat(1000), 'é'),
);
/** What a gateway may put in a field: mostly the right type, sometimes not. */
const anyValue = fc.oneof({ weight: 6, arbitrary: anyString }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({})) });

const outcome = fc.record(
  {
    source: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...SOURCES) }, { weight: 1, arbitrary: anyValue }),
    status: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...WIRE_OUTCOME_STATUSES) }, { weight: 1, arbitrary: anyValue }),
    dataAsOf: fc.oneof({ weight: 4, arbitrary: fc.constant('2026-12-01T18:56:12.826Z') }, { weight: 2, arbitrary: anyValue }),
  },
  { requiredKeys: [] },
);
const item = fc.record(
  {
    itemId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('1', '2', 'row-17') }, { weight: 2, arbitrary: anyValue }),
    outcomes: fc.oneof({ weight: 8, arbitrary: fc.array(outcome, { maxLength: 4 }) }, { weight: 1, arbitrary: anyValue }),
    hits: fc.oneof({ weight: 8, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.constant([{ kind: 'document' }]) }, { weight: 1, arbitrary: anyValue }),
  },
  { requiredKeys: [] },
);
const answer = fc.record(
  {
    requestId: fc.oneof({ weight: 6, arbitrary: fc.uuid() }, { weight: 2, arbitrary: anyValue }),
    items: fc.oneof({ weight: 8, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: anyValue }),
  },
  { requiredKeys: [] },
);

/** What the general reader gives for `text`, or that it refuses it. */
function general(text: string): { value: unknown } | 'refused' {
  try {
    return { value: readCheckJson(JSON.parse(text), 200) };
  } catch {
    return 'refused';
  }
}

/** The text reader agrees with the general one wherever it answers. */
function agrees(text: string): boolean {
  const fast = readCleanCheckText(text);
  if (fast === undefined) return false;
  const slow = general(text);
  expect(slow).not.toBe('refused');
  const value = (slow as { value: unknown }).value;
  expect(fast).toStrictEqual(value);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(value));
  return true;
}

const cleanOutcomes = fc.array(
  fc.tuple(fc.constantFrom(...SOURCES), fc.constantFrom(...WIRE_OUTCOME_STATUSES), fc.option(fc.constantFrom('2026-12-01', '2026-12-02'), { nil: undefined })),
  { minLength: 1, maxLength: 4 },
);
/**
 * A clean answer as protocol v1 writes it, from generated parts that are all plainly valid. Most items take their
 * outcomes from a few lists, as a batch's items do, so items that read alike after their ids follow one another.
 */
const cleanAnswer = fc
  .tuple(fc.uuid(), fc.array(cleanOutcomes, { minLength: 1, maxLength: 2 }))
  .chain(([requestId, pool]) =>
    fc.tuple(
      fc.constant(requestId),
      fc.array(
        fc.tuple(
          fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', 'é', '中', ' '), minLength: 1, maxLength: 8 }),
          fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: cleanOutcomes }),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    ),
  )
  .map(([requestId, items]) =>
    JSON.stringify({
      requestId,
      items: items.map(([itemId, outcomes]) => ({
        itemId,
        outcomes: outcomes.map(([source, status, dataAsOf]) => (dataAsOf === undefined ? { source, status } : { source, status, dataAsOf })),
        hits: [],
      })),
    }),
  );

describe('the clean answer read from its text', () => {
  it('reads every clean answer written as protocol v1 lists its fields, and reads it as the general reader does', () => {
    fc.assert(
      fc.property(cleanAnswer, (text) => {
        expect(agrees(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the general reader’s value or nothing, for generated answers of every kind', () => {
    fc.assert(
      fc.property(answer, fc.boolean(), (value, spaced) => {
        const text = spaced ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        agrees(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the general reader’s value or nothing, for any edit of a clean answer’s text', () => {
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 3 }),
      insert: fc.oneof(fc.constantFrom('', '"', '\\', '\\"', ',', '}', ']', '{', '[', ' ', '\n', 'x', '\u0000', ':', '0', 'null', '"hits":[]', ',"x":1'), anyString),
    });
    fc.assert(
      fc.property(cleanAnswer, fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
        let t = text;
        for (const { at, remove, insert } of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + insert + t.slice(i + remove);
        }
        agrees(t);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads items that read alike after their ids as the general reader does, and each item keeps its own id', () => {
    const one = '"outcomes":[{"source":"SLTD","status":"NO_HIT","dataAsOf":"2026-12-01"},{"source":"TDAWN","status":"NO_HIT"}],"hits":[]';
    const text = `{"requestId":"r-1","items":[${['7', '8', '9', '10'].map((id) => `{"itemId":"${id}",${one}}`).join(',')}]}`;
    expect(agrees(text)).toBe(true);
    const read = readCleanCheckText(text)!;
    expect(read.items.map((i) => i.itemId)).toEqual(['7', '8', '9', '10']);
    // The items share one list of outcomes: it cannot be changed through any of them.
    for (const item of read.items) {
      expect(Object.isFrozen(item.outcomes)).toBe(true);
      expect(item.outcomes.every((o) => Object.isFrozen(o))).toBe(true);
    }
    // An item that differs in one character after its id is read on its own, and so are the ones after it.
    const changed = text.replace('{"itemId":"9","outcomes":[{"source":"SLTD","status":"NO_HIT"', '{"itemId":"9","outcomes":[{"source":"SLTD","status":"HIT"');
    expect(changed).not.toBe(text);
    expect(agrees(changed)).toBe(true);
    expect(readCleanCheckText(changed)!.items.map((i) => i.outcomes[0]!.status)).toEqual(['NO_HIT', 'NO_HIT', 'HIT', 'NO_HIT']);
  });

  it('leaves to the general reader what it must warn about or refuse', () => {
    const clean = '{"requestId":"r-1","items":[{"itemId":"1","outcomes":[{"source":"SLTD","status":"NO_HIT"}],"hits":[]}]}';
    expect(agrees(clean)).toBe(true);
    for (const text of [
      clean.replace('"hits":[]', '"hits":[{"kind":"document"}]'),
      clean.replace('"NO_HIT"', '"NEW_STATUS"'),
      clean.replace('"SLTD"', '"SLTD2"'),
      clean.replace('"r-1"', '"r\\u002d1"'),
      clean.replace('"1"', '"1\\n"'),
      `${clean} `,
      `${clean}x`,
      ` ${clean}`,
      clean.replace('{"source"', '{"status":"NO_HIT","source"').replace(',"status":"NO_HIT"}', '}'),
      clean.replace('"hits":[]', '"hits":[],"itemId":"2"'),
      clean.replace(']}]}', ']}],"requestId":"r-2"}'),
      clean.replace('"NO_HIT"}', `"NO_HIT","dataAsOf":"${'x'.repeat(1001)}"}`),
    ]) {
      expect(text).not.toBe(clean);
      expect(readCleanCheckText(text)).toBeUndefined();
    }
  });

  it('reads the mock gateway’s clean answers straight from their text', async () => {
    const transport = mockTransport();
    const subjects = [
      [{ kind: 'document', documentNumber: 'B000000001', issuingState: 'UTO', documentType: 'PASSPORT' }],
      [{ kind: 'person', surname: 'NOBODY', givenNames: ['NEVER'], dateOfBirth: '1990-01-01' }],
      [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW999999' }],
    ];
    const bodies = [
      { context, items: [{ itemId: '1', subjects: subjects[0], sources: ['SLTD', 'TDAWN'] }] },
      { context, items: subjects.map((s, i) => ({ itemId: String(i + 1), subjects: s })) },
    ];
    for (const body of bodies) {
      const response = await transport.send({ method: 'POST', path: '/v1/checks', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs: 5000 });
      expect(response.status).toBe(200);
      expect(agrees(response.body)).toBe(true);
      expect(readCheckAnswer(response)).toStrictEqual(readCheckJson(JSON.parse(response.body), 200));
    }
    await transport.close();
  });
});
