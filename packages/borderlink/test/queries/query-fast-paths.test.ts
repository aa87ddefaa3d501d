// The fast paths of person and vehicle queries and of documents with a holder (plainQuerySubject, plainSubjects) stand
// in for zod: whatever they take, the schema takes with the same value in the same key order, and a call gets the
// schema's own answer for any input, its error's field paths and messages included.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, InputError, MAX_NAME_VARIANTS, type Subject } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { DOCUMENT_TYPES, SEXES, STATE_CODE } from '../../src/queries/values';
import { withNameForms } from '../../src/queries/name-forms';
import {
  documentQuerySchema,
  hasNameLetter,
  stateCodeSchema,
  personQuerySchema,
  plainQuerySubject,
  plainSubjects,
  subjectsSchema,
  toFieldIssues,
  vehicleQuerySchema,
} from '../../src/queries/validate';

const anyValue = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]), fc.string({ maxLength: 5 }));
const letters = fc.constantFrom('A', 'z', 'É', 'ß', 'Ø', 'Ж', 'Ω', 'א', 'ع', '中', '한', '𝔄');
const nameChars = fc.constantFrom('A', 'é', 'Ж', '中', ' ', '-', "'", '.', ',', '\u0301', '\u3164', '1', '_', '\u00a0', '\t');
const name = fc.oneof(
  fc.string({ unit: letters, minLength: 1, maxLength: 12 }),
  fc.string({ unit: nameChars, maxLength: 12 }),
  fc.tuple(fc.constantFrom(' ', '\u00a0', '\u3000', '\n', ''), fc.string({ unit: letters, minLength: 1, maxLength: 6 }), fc.constantFrom(' ', '\u2003', '')).map(([a, b, c]) => a + b + c),
  fc.constantFrom('', ' ', '-', "'", '.', '\u0301', '\u3164', '\u3164\u3164', 'A'.repeat(100), 'A'.repeat(101), ` ${'B'.repeat(100)} `, 'O’BRIEN', 'ANNA-MARIA', 'X\uD800'),
  anyValue,
);
const date = fc.oneof(fc.constantFrom('1974-08-12', '1974-08', '1974', '2000-02-29', '1800', '1974-02-30', '1799', '1974-13', '74-08-12', '', ' 1974', '1974-8-12'), anyValue);
const sex = fc.oneof(fc.constantFrom(...SEXES), fc.constantFrom('m', 'MALE', '', 'F '), anyValue);
const code = (max: number) =>
  fc.oneof(
    fc.stringMatching(new RegExp(`^[A-Z]{1,${max}}$`)),
    fc.stringMatching(new RegExp(`^[A-Za-z0-9 ]{0,${max + 2}}$`)),
    fc.constantFrom('uto', ' D ', 'GBRX', 'D1', 'ÜTO', 'ß', 'ı', '\u00a0UTO', 'UTO\n'),
    anyValue,
  );
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** A person's other spellings (protocol v1's `nameVariants`), around the schema's rules: its cap, its keys, its names. */
const nameVariant = fc.oneof(
  fc.record({ surname: name, givenNames: fc.oneof(fc.array(name, { maxLength: 11 }), anyValue) }, { requiredKeys: [] }),
  fc.record({ surname: fc.constantFrom('TSOY', 'Müller', 'ЦОЙ'), givenNames: fc.array(fc.constantFrom('YULIYA', 'Ülle'), { maxLength: 2 }) }),
  fc.record({ surname: name, alias: anyValue }),
  anyValue,
);
const nameVariants = fc.oneof(
  fc.array(nameVariant, { maxLength: 4 }),
  fc.array(fc.constant({ surname: 'TSOY', givenNames: ['YULIYA'] }), { minLength: MAX_NAME_VARIANTS - 1, maxLength: MAX_NAME_VARIANTS + 1 }),
  anyValue,
);
const person = fc.oneof(
  fc.record({ surname: name, givenNames: optional(fc.oneof(fc.array(name, { maxLength: 12 }), anyValue)), dateOfBirth: date, sex, nationality: code(3) }, { requiredKeys: [] }),
  fc.record({ surname: name, givenNames: fc.array(name, { maxLength: 3 }), nameVariants }, { requiredKeys: ['surname'] }),
  fc.record({ surname: name, givenNames: fc.array(name, { maxLength: 3 }) }),
  // Around the schema's limit of ten given names, every one of them valid.
  fc.record({ surname: fc.constant('ERIKSSON'), givenNames: fc.array(fc.string({ unit: letters, minLength: 1, maxLength: 4 }), { minLength: 9, maxLength: 12 }) }),
  fc.record({ surname: name, extra: anyValue }),
  anyValue,
);
const vinChars = fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789');
const vin = fc.oneof(
  fc.string({ unit: vinChars, minLength: 17, maxLength: 17 }),
  fc.string({ unit: vinChars, minLength: 17, maxLength: 17 }).map((v) => v.toLowerCase()),
  fc.string({ unit: vinChars, minLength: 17, maxLength: 17 }).map((v) => ` ${v} `),
  fc.constantFrom('WVWZZZ1JZXW00000I', 'WVWZZZ1JZXW00000', 'WVWZZZ1JZXW0000099', 'wvwzzz1jzxw000009'),
  anyValue,
);
const plate = fc.oneof(
  fc.stringMatching(/^[A-Z0-9][A-Z0-9 -]{0,14}$/),
  fc.stringMatching(/^[a-zA-Z0-9 -]{0,17}$/),
  fc.constantFrom(' AB 123', 'AB 123 ', '-AB', 'AB_1', 'ab-12', 'A'.repeat(16)),
  anyValue,
);
const vehicle = fc.oneof(
  fc.record({ vin, plate, registrationCountry: code(3) }, { requiredKeys: [] }),
  fc.record({ plate, registrationCountry: code(3) }),
  fc.record({ vin }),
  fc.record({ vin, colour: anyValue }),
  anyValue,
);
const documentType = fc.oneof(fc.constantFrom(...DOCUMENT_TYPES), fc.constantFrom('passport', 'VISA ', ''), anyValue);
const documentNumber = fc.oneof(fc.stringMatching(/^[A-Z0-9]{1,20}$/), fc.stringMatching(/^[a-zA-Z0-9 <]{0,22}$/), fc.constantFrom(' l898902c3 ', 'L898902Cſ', 'A'.repeat(21)), anyValue);
const documentWithHolder = fc.oneof(
  fc.record({ documentNumber, issuingState: code(3), documentType, holder: person }, { requiredKeys: ['holder'] }),
  fc.record({ documentNumber: fc.constant('L898902C3'), issuingState: fc.constant('UTO'), documentType: fc.constant('PASSPORT'), holder: person }),
  fc.record({ documentNumber, issuingState: code(3), documentType }),
  anyValue,
);

const SCHEMAS = { document: documentQuerySchema, person: personQuerySchema, vehicle: vehicleQuerySchema } as const;
const QUERIES = { document: documentWithHolder, person, vehicle } as const;

/** Key order, nested objects included: what JSON.stringify shows. */
const keyOrder = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.keys(x) : x));

/** The schema's own answer: its value as `{ kind, ...value }`, or its field issues. */
function bySchema(kind: keyof typeof SCHEMAS, value: unknown): { value: Subject } | { issues: ReturnType<typeof toFieldIssues> } {
  const parsed = SCHEMAS[kind].safeParse(value);
  return parsed.success ? { value: { kind, ...(parsed.data as object) } as Subject } : { issues: toFieldIssues(parsed.error, value) };
}

const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-POLICE', operatorId: 'officer-1', purpose: 'BORDER_CHECK' }, retry: false });
afterAll(() => client.close());

/** Any UTF-16 code unit, lone surrogates and control characters included, and the characters names and codes hold. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 8 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', 'z', 'A', 'Z', '0', ' ', '\u00a0', '\u3164', '\u115f', '-', "'", 'é', 'ſ', 'ı', '\u0301', '\t', 'ʼ', 'ـ', 'Ь', 'ь', 'Ж'), maxLength: 8 }),
);

describe('the rules the fast paths share with the schemas', () => {
  it('finds a letter in a name exactly as the Unicode rule does, Hangul fillers, modifier letters and the soft sign excluded', () => {
    // Modifier letters (ʼ ʻ, the tatweel) stand beside letters, and ICAO writes the soft sign as nothing: none is a
    // letter to search alone.
    const rule = (v: string) => /[^\P{L}\p{Lm}]/u.test(v.replace(/[\u115F\u1160\u3164\uFFA0\u042C\u044C]/g, ''));
    fc.assert(
      fc.property(anyText, (v) => {
        expect(hasNameLetter(v)).toBe(rule(v));
      }),
      { numRuns: 5000 },
    );
  });

  it('trims and upper-cases a to z only, for any text, before the pattern of a state code', () => {
    const rule = (v: string) => v.trim().replace(/[a-z]+/g, (letters) => letters.toUpperCase());
    fc.assert(
      fc.property(anyText, (v) => {
        const parsed = stateCodeSchema.safeParse(v);
        expect(parsed.success).toBe(STATE_CODE.test(rule(v)));
        if (parsed.success) expect(parsed.data).toBe(rule(v));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('the fast paths of person, vehicle and holder queries', () => {
  for (const kind of ['person', 'vehicle', 'document'] as const) {
    it(`takes a ${kind} query only when the schema does, with the same value and key order`, () => {
      fc.assert(
        fc.property(QUERIES[kind], (query) => {
          const plain = plainQuerySubject(kind, query);
          if (plain === undefined) return;
          const expected = bySchema(kind, query);
          expect(expected).toHaveProperty('value');
          expect(plain).toStrictEqual((expected as { value: Subject }).value);
          expect(keyOrder(plain)).toBe(keyOrder((expected as { value: Subject }).value));
        }),
        { numRuns: 4000 },
      );
    });
  }

  it('takes a list of subjects of every kind only when the schema does, with the same value and key order', () => {
    const subject = fc.oneof(
      person.map((p) => (typeof p === 'object' && p !== null && !Array.isArray(p) ? { kind: 'person', ...p } : p)),
      vehicle.map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { kind: 'vehicle', ...v } : v)),
      fc
        .tuple(fc.constantFrom('document', 'person'), documentWithHolder)
        .map(([kind, d]) => (typeof d === 'object' && d !== null && !Array.isArray(d) ? { kind, ...d } : d)),
    );
    fc.assert(
      fc.property(fc.array(subject, { maxLength: 4 }), (value) => {
        const plain = plainSubjects(value);
        if (plain === undefined) return;
        const parsed = subjectsSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(plain).toStrictEqual(parsed.data);
        expect(keyOrder(plain)).toBe(keyOrder(parsed.data));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for valid queries of every kind, so the properties above are not vacuous', () => {
    const valid = {
      person: { surname: ' Eriksson ', givenNames: ['Anna', 'María'], dateOfBirth: '1974-08-12', sex: 'F', nationality: 'uto', nameVariants: [{ surname: 'ERICSSON', givenNames: ['ANNA'] }, { surname: 'ЭРИКССОН' }] },
      vehicle: { plate: 'ab-123', registrationCountry: 'd' },
      document: { documentNumber: 'l898902c3', issuingState: 'uto', documentType: 'PASSPORT', holder: { surname: 'ERIKSSON' } },
    } as const;
    for (const kind of ['person', 'vehicle', 'document'] as const) {
      expect(plainQuerySubject(kind, valid[kind])).toStrictEqual((bySchema(kind, valid[kind]) as { value: Subject }).value);
    }
    const subjects = [{ kind: 'person', ...valid.person }, { kind: 'vehicle', vin: 'WVWZZZ1JZXW000009' }, { kind: 'document', ...valid.document }];
    expect(plainSubjects(subjects)).toStrictEqual(subjectsSchema.parse(subjects));
  });

  it('leaves to the schema what it is not sure of: an explicit undefined, an unknown or inherited key, a lying Proxy', () => {
    const inherited = Object.assign(Object.create({ extra: 1 }) as object, { surname: 'ERIKSSON' });
    const lying = new Proxy({ surname: 'ERIKSSON' }, { has: (t, k) => k !== 'surname' && Reflect.has(t, k) });
    const cases: [keyof typeof SCHEMAS, unknown][] = [
      ['person', { surname: 'ERIKSSON', givenNames: undefined }],
      ['person', { surname: 'ERIKSSON', dateOfBirth: undefined }],
      ['person', { surname: 'ERIKSSON', nameVariants: [{ surname: 'ERICSSON', givenNames: undefined }] }],
      ['person', { surname: 'ERIKSSON', nameVariants: [{ surname: 'ERICSSON', alias: 'X' }] }],
      ['person', { surname: 'ERIKSSON', nameVariants: [Object.assign(Object.create({ extra: 1 }) as object, { surname: 'ERICSSON' })] }],
      ['person', inherited],
      ['person', lying],
      ['person', Object.assign([], { surname: 'ERIKSSON' })],
      ['vehicle', { vin: 'WVWZZZ1JZXW000009', plate: undefined }],
      ['document', { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', holder: undefined }],
      ['document', { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', holder: { surname: 'X', alias: 'Y' } }],
    ];
    for (const [kind, value] of cases) {
      expect(plainQuerySubject(kind, value)).toBeUndefined();
    }
  });

  for (const [kind, call] of [
    ['person', (q: unknown) => client.checkPerson(q as never)],
    ['vehicle', (q: unknown) => client.checkVehicle(q as never)],
    ['document', (q: unknown) => client.checkDocument(q as never)],
  ] as const) {
    it(`gives check${kind[0]!.toUpperCase()}${kind.slice(1)} the schema's own value or its own field issues for any input`, async () => {
      await fc.assert(
        fc.asyncProperty(QUERIES[kind], async (query) => {
          const expected = bySchema(kind, query);
          try {
            await call(query);
            expect(expected).toHaveProperty('value');
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            expect(expected).toStrictEqual({ issues: err.issues });
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it('sends the schema’s value for a person, a vehicle and a document with a holder, names in their ICAO form with their spellings', async () => {
    const transport = mockTransport();
    const c = createClient({ transport, context: { authorityId: 'UTO-POLICE', operatorId: 'officer-1', purpose: 'BORDER_CHECK' } });
    const tagged = fc.oneof(
      person.map((q) => ['person', q] as const),
      vehicle.map((q) => ['vehicle', q] as const),
      documentWithHolder.map((q) => ['document', q] as const),
    );
    await fc.assert(
      fc.asyncProperty(tagged, async ([kind, query]) => {
        const expected = bySchema(kind, query);
        if (!('value' in expected)) return;
        const before = transport.requests.length;
        await (kind === 'person' ? c.checkPerson(query as never) : kind === 'vehicle' ? c.checkVehicle(query as never) : c.checkDocument(query as never));
        const sent = transport.requests[before]!.body as { items: [{ subjects: [unknown] }] };
        // As sent: a field the schema gives as undefined is not on the wire; a person (or holder) goes in its ICAO
        // form with the other spellings (queries/name-forms.ts), its own nameVariants kept when it gave them.
        expect(sent.items[0].subjects[0]).toStrictEqual(JSON.parse(JSON.stringify(withNameForms([expected.value])[0])));
      }),
      { numRuns: 300 },
    );
    await c.close();
  });
});
