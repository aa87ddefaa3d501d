// The pre-checks that spare a cached check its zod parses must agree with the schemas they stand in for: whatever
// they accept, the schema accepts with the same value, and an input they pass on gets the schema's own answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient, InputError } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { callOptionsAccepted } from '../../src/client/check-options';
import { DOCUMENT_TYPES, SOURCES } from '../../src/queries/values';
import {
  documentQuerySchema,
  isPlainSourceList,
  isPlainSubjectList,
  parseInput,
  plainDocumentQuery,
  plainSubjects,
  sourcesSchema,
  subjectsSchema,
} from '../../src/queries/validate';

const code = fc.oneof(
  fc.stringMatching(/^[A-Z0-9]{1,20}$/),
  fc.stringMatching(/^[A-Za-z0-9 ]{0,22}$/),
  fc.constantFrom('', ' UTO', 'uto', 'UTO ', 'ÜTO', 'A'.repeat(21), 'D\u0130', 'ß'),
  fc.string({ maxLength: 24 }),
  fc.integer(),
  fc.constant(undefined),
  fc.constant(null),
);
const state = fc.oneof(fc.stringMatching(/^[A-Z]{1,3}$/), fc.stringMatching(/^[a-zA-Z ]{0,4}$/), code);
const type = fc.oneof(fc.constantFrom(...DOCUMENT_TYPES), fc.constantFrom('passport', 'VISA ', ''), code);
const documentQuery = fc.oneof(
  fc.record({ documentNumber: code, issuingState: state, documentType: type }),
  fc.record({ documentNumber: code, issuingState: state, documentType: type }, { requiredKeys: [] }),
  fc.record({ documentNumber: code, issuingState: state, documentType: type, holder: fc.constantFrom(undefined, { surname: 'ERIKSSON' }) }),
  fc.record({ documentNumber: code, issuingState: state, documentType: type, extra: fc.anything() }),
  fc.anything(),
);

const subject = fc.oneof(
  documentQuery.map((q) => (typeof q === 'object' && q !== null && !Array.isArray(q) ? { kind: 'document', ...q } : q)),
  fc.record({ kind: fc.constantFrom('document', 'person', 'Document'), documentNumber: code, issuingState: state, documentType: type }),
);
const subjects = fc.oneof(
  fc.array(subject, { maxLength: 22 }),
  fc.array(fc.constant({ kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }), { maxLength: 22 }),
  fc.anything(),
);

/** The schema's answer: its value, or its error message. */
function bySchema(value: unknown): unknown {
  try {
    return { value: parseInput(documentQuerySchema, value) };
  } catch (err) {
    return { error: (err as InputError).message };
  }
}

describe('the fast paths of a cached check', () => {
  it('accepts a document query only when the schema does, with the same value and key order', () => {
    fc.assert(
      fc.property(documentQuery, (query) => {
        const plain = plainDocumentQuery(query);
        if (plain === undefined) return;
        const parsed = documentQuerySchema.safeParse(query);
        expect(parsed.success).toBe(true);
        expect(plain).toStrictEqual(parsed.data);
        expect(Object.keys(plain)).toStrictEqual(Object.keys(parsed.data!));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts a list of subjects only when the schema does, with the same value and key order', () => {
    fc.assert(
      fc.property(subjects, (value) => {
        const plain = plainSubjects(value);
        if (plain === undefined) return;
        const parsed = subjectsSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(plain).toStrictEqual(parsed.data);
        plain.forEach((s, i) => expect(Object.keys(s)).toStrictEqual(Object.keys(parsed.data![i]!)));
      }),
      { numRuns: 3000 },
    );
    expect(plainSubjects([{ kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }])).toBeDefined();
  });

  it('tells a list of subjects the schema takes as it is, for the mock gateway, only when it does', () => {
    fc.assert(
      fc.property(subjects, (value) => {
        const plain = isPlainSubjectList(value);
        if (!plain) return;
        expect(plainSubjects(value)).toBeDefined();
        const parsed = subjectsSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        // As it is: the gateway validates the subjects without a copy, so the schema's value must be the input's, field
        // for field in the same order (JSON's view: an input without a prototype is the same data).
        expect(JSON.stringify(parsed.data)).toBe(JSON.stringify(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('tells a list of sources the schema accepts exactly when it does, for any input', () => {
    const source = fc.oneof(fc.constantFrom(...SOURCES), fc.constantFrom('sltd', 'SLTD ', '', 'OTHER', 'constructor'), fc.anything());
    const lists = fc.oneof(
      fc.array(source, { maxLength: 6 }),
      fc.array(fc.constantFrom(...SOURCES), { maxLength: 6 }),
      fc.uniqueArray(fc.constantFrom(...SOURCES), { minLength: 1 }),
      fc.anything(),
    );
    fc.assert(
      fc.property(lists, (value) => {
        expect(isPlainSourceList(value)).toBe(sourcesSchema.safeParse(value).success);
      }),
      { numRuns: 5000 },
    );
    expect(isPlainSourceList(['SLTD', 'TDAWN'])).toBe(true);
    expect(isPlainSourceList(['SLTD', 'SLTD'])).toBe(false);
    // eslint-disable-next-line no-sparse-arrays
    expect(isPlainSourceList([, 'SLTD'])).toBe(false);
  });

  it('takes the fast path for the plain document queries scanners give', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,20}$/), fc.stringMatching(/^[A-Z]{1,3}$/), fc.constantFrom(...DOCUMENT_TYPES), (documentNumber, issuingState, documentType) => {
        expect(plainDocumentQuery({ documentNumber, issuingState, documentType })).toStrictEqual({ documentNumber, issuingState, documentType });
      }),
    );
  });

  it('refuses a key the schema refuses, inherited enumerable keys included', () => {
    const proto = { extra: 1 };
    const query = Object.assign(Object.create(proto) as object, { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
    expect(plainDocumentQuery(query)).toBeUndefined();
    expect(documentQuerySchema.safeParse(query).success).toBe(false);
  });

  it('gives checkDocument the schema’s own value or error message for any input', async () => {
    const transport = mockTransport();
    const client = createClient({ transport, context: { authorityId: 'UTO-POLICE', operatorId: 'officer-1', purpose: 'BORDER_CHECK' } });
    await fc.assert(
      fc.asyncProperty(documentQuery, async (query) => {
        const expected = bySchema(query);
        const before = transport.requests.length;
        try {
          await client.checkDocument(query as never);
          expect(expected).toHaveProperty('value');
          const sent = transport.requests[before]!.body as { items: [{ subjects: [unknown] }] };
          // As sent: a field the schema gives as undefined is not on the wire.
          expect(sent.items[0].subjects[0]).toStrictEqual(JSON.parse(JSON.stringify({ kind: 'document', ...(expected as { value: object }).value })));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          expect(expected).toStrictEqual({ error: err.message });
        }
      }),
      { numRuns: 300 },
    );
    await client.close();
  });

  it('accepts call options only when the schema does', () => {
    const signal = new AbortController().signal;
    const contextValue = fc.oneof(
      fc.record({ authorityId: fc.anything(), operatorId: fc.anything(), purpose: fc.anything(), locationId: fc.anything() }, { requiredKeys: [] }),
      fc.record({ authorityId: fc.string(), other: fc.anything() }),
      fc.anything(),
    );
    const options = fc.oneof(
      fc.record(
        {
          context: contextValue,
          signal: fc.constantFrom(undefined, signal, {}, 'signal'),
          timeoutMs: fc.anything(),
          attemptTimeoutMs: fc.anything(),
          sources: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.record({ signal: fc.constantFrom(undefined, signal), retry: fc.anything() }),
      fc.anything(),
    );
    fc.assert(
      fc.property(options, (value) => {
        if (callOptionsAccepted.plain(value)) expect(callOptionsAccepted.schema(value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(callOptionsAccepted.plain({ signal, context: { operatorId: 'officer-2' }, timeoutMs: 1000 })).toBe(true);
  });
});
