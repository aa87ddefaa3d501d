// The snapshot reader stands in for the strict schemas of protocol v1 (SNAPSHOT_LINE_SCHEMAS) without running zod on
// every line: over generated lines, clean and broken every way, whatever a schema takes the reader takes with the same
// value, and whatever the reader refuses is a ProtocolError naming the line and a path, never a value. Where the
// schema refuses only a descriptive field, the reader keeps the record (a hit is never lost over what only describes
// it) with the fields it could read, and refuses only for a field the copy is keyed or counted by.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from 'borderlink';
import { SNAPSHOT_LINE_SCHEMAS, readSnapshot } from '../../src/protocol/snapshot';
import { DOCUMENT_TYPES } from '../../src/queries/values';
import { readAll } from '../helpers/snapshots';

const SOURCES = ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'] as const;
type Source = (typeof SOURCES)[number];

/** A value of any kind a gateway could put anywhere. */
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.constant(''),
  fc.constant('x'.repeat(1001)),
  fc.constant(['a', 7]),
  fc.constant(Array.from({ length: 101 }, () => 'n')),
  fc.string({ maxLength: 6 }),
);
const text = fc.string({ maxLength: 12 });
const id = fc.string({ minLength: 1, maxLength: 12 });
const texts = fc.array(text, { maxLength: 3 });
/** A field as protocol v1 has it, or (now and then) anything else, or absent. */
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: odd });

const document = fc.record(
  {
    documentNumber: maybe(id),
    issuingState: maybe(id),
    documentType: maybe(fc.oneof(fc.constantFrom(...DOCUMENT_TYPES), text)),
    status: maybe(fc.oneof(fc.constantFrom('STOLEN', 'LOST', 'REVOKED'), text)),
    incidentDate: maybe(text),
    incidentCountry: maybe(text),
    extra: odd,
  },
  { requiredKeys: ['documentNumber', 'issuingState', 'documentType', 'status'] },
);
const notice = fc.record({ type: maybe(fc.oneof(fc.constantFrom('RED', 'YELLOW', 'BLUE'), text)), reference: maybe(text), requestingCountry: maybe(text), charges: maybe(texts) }, { requiredKeys: ['type', 'reference', 'requestingCountry'] });
const person = fc.record({ surname: maybe(id), givenNames: maybe(texts), dateOfBirth: maybe(text), nationalities: maybe(texts) });
const vehicle = fc.record({ vin: maybe(text), plate: maybe(text), make: maybe(text), model: maybe(text), colour: maybe(text), theftDate: maybe(text), registrationCountry: maybe(text) });

const PARTS: Record<Source, Record<string, fc.Arbitrary<unknown>>> = {
  SLTD: { document },
  TDAWN: { document, notice },
  NOMINAL: { person, notice },
  SMV: { vehicle },
};

const record = (source: Source) =>
  fc.record({
    source: maybe(fc.constant(source)),
    recordId: maybe(id),
    ownerCountry: maybe(text),
    actionToBeTaken: fc.option(maybe(text), { nil: undefined }),
    ...Object.fromEntries(Object.entries(PARTS[source]).map(([name, part]) => [name, maybe(part)])),
  });

const line = (source: Source) =>
  fc.oneof(
    { weight: 5, arbitrary: record(source).map((r) => ({ op: 'upsert', record: r })) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete'), source: maybe(fc.constant(source)), recordId: maybe(id) }) },
    { weight: 1, arbitrary: fc.record({ op: maybe(fc.constantFrom('upsert', 'delete')), record: odd }) },
  );

/** What the reader makes of one line, as the only change of a delta. */
async function readOne(source: Source, value: unknown): Promise<unknown> {
  const text = `${JSON.stringify(value)}\n${JSON.stringify({ op: 'end', source, cursor: 'c-2', dataAsOf: '2026-12-01T06:00:00Z', full: false, changes: 1, recordCount: 1 })}\n`;
  const lines = await readAll(readSnapshot((async function* () { yield text; })(), { source, since: 'c-1' }));
  expect(lines).toHaveLength(2);
  return lines[0];
}

/** The strict schema's answer for a line of `source`: the value, or undefined when it refuses it. */
function strict(source: Source, value: Record<string, unknown>): unknown {
  const schema = value.op === 'delete' ? SNAPSHOT_LINE_SCHEMAS.delete : SNAPSHOT_LINE_SCHEMAS.upsert;
  const parsed = schema.safeParse(value);
  if (!parsed.success) return undefined;
  // The schema takes any source; the reader holds every line to the one asked for.
  const lineSource = value.op === 'delete' ? value.source : (value.record as { source?: unknown }).source;
  return lineSource === source ? parsed.data : undefined;
}

const roundTrip = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe.each(SOURCES)('the reader against the strict schema, %s', (source) => {
  it('takes every line the schema takes, with the same value, and refuses only by a ProtocolError naming a path', async () => {
    await fc.assert(
      fc.asyncProperty(line(source), async (generated) => {
        const value = roundTrip(generated);
        const expected = strict(source, value);
        let read: unknown;
        let refused: unknown;
        try {
          read = await readOne(source, value);
        } catch (err) {
          refused = err;
        }
        if (expected !== undefined) {
          expect(refused).toBeUndefined();
          expect(read).toEqual(expected);
          return;
        }
        if (refused !== undefined) {
          expect(refused).toBeInstanceOf(ProtocolError);
          const issues = (refused as ProtocolError).issues;
          expect(issues).toHaveLength(1);
          expect(issues[0]!.path).toMatch(/^lines\.1(\.(op|source|recordId|record(\.(source|recordId|document|person|vehicle)(\.(documentNumber|issuingState|surname|givenNames|dateOfBirth|vin|plate|registrationCountry))?)?)?)?$/);
          return;
        }
        // Taken though the schema refuses it: only what describes the record was off, and the record is kept.
        expect(read).toMatchObject(value.op === 'delete' ? { op: 'delete', source } : { op: 'upsert', record: { source, recordId: (value.record as { recordId: string }).recordId } });
      }),
      { numRuns: 300 },
    );
  });
});
