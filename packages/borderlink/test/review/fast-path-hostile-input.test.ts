// The pre-checks that skip zod (plainDocumentQuery, plainSubjects, the call options' pre-check) against the schemas
// they stand in for, on hand-made hostile objects: whatever a pre-check lets through, the schema takes with the same
// value in the same key order, and checkDocument answers as the schema would.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, createClient, InputError } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { callOptionsAccepted } from '../../src/client/check-options';
import { documentQuerySchema, parseInput, plainDocumentQuery, plainSubjects, subjectsSchema } from '../../src/queries/validate';

const base = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

function hostile(): [string, () => unknown][] {
  class Passport {
    documentNumber = 'L898902C3';
    issuingState = 'UTO';
    documentType = 'PASSPORT';
  }
  const nonEnumerableExtra = () => Object.defineProperty({ ...base }, 'extra', { value: 1, enumerable: false });
  const nonEnumerableNumber = () => Object.defineProperty({ issuingState: 'UTO', documentType: 'PASSPORT' }, 'documentNumber', { value: 'L898902C3', enumerable: false });
  const shadowed = () => Object.defineProperty(Object.create({ documentNumber: 'L898902C3' }) as object, 'documentNumber', { value: 'X', enumerable: false });
  const changing = () => {
    let reads = 0;
    return {
      get documentNumber() {
        return reads++ === 0 ? 'L898902C3' : 'l898902c3 ';
      },
      issuingState: 'UTO',
      documentType: 'PASSPORT',
    };
  };
  return [
    ['an object without a prototype', () => Object.assign(Object.create(null) as object, base)],
    ['a class instance', () => new Passport()],
    ['an object with a symbol key', () => ({ ...base, [Symbol('extra')]: 1 })],
    ['an object with a non-enumerable extra key', nonEnumerableExtra],
    ['an object whose number is non-enumerable', nonEnumerableNumber],
    ['an inherited number shadowed by a non-enumerable own one', () => Object.assign(shadowed(), { issuingState: 'UTO', documentType: 'PASSPORT' })],
    ['an own __proto__ key', () => JSON.parse('{"documentNumber":"L898902C3","issuingState":"UTO","documentType":"PASSPORT","__proto__":{"x":1}}')],
    ['every field inherited', () => Object.create(base)],
    ['an inherited enumerable extra key', () => Object.assign(Object.create({ extra: 1 }) as object, base)],
    ['a transparent Proxy', () => new Proxy({ ...base }, {})],
    ['a Proxy that lists no keys', () => new Proxy({}, { ownKeys: () => [], get: (_t, k) => (base as Record<PropertyKey, unknown>)[k] })],
    ['a Proxy that lists an extra key', () => new Proxy({ ...base, extra: 1 }, { get: (t, k) => (k === 'extra' ? undefined : Reflect.get(t, k)) })],
    ['a getter that changes between reads', changing],
    ['a Date with the fields', () => Object.assign(new Date(0), base)],
    ['a function with the fields', () => Object.assign(() => 0, base)],
    ['an array with the fields', () => Object.assign([], base)],
    ['a holder present as undefined', () => ({ ...base, holder: undefined })],
    ['a lower-case state', () => ({ ...base, issuingState: 'uto' })],
    ['a state with a trailing no-break space', () => ({ ...base, issuingState: 'UTO\u00a0' })],
    ['full-width letters', () => ({ ...base, issuingState: 'ＵＴＯ' })],
    ['a number as a String object', () => ({ ...base, documentNumber: new String('L898902C3') })],
    ['a number as a number', () => ({ ...base, documentNumber: 898902 })],
    ['a document type in lower case', () => ({ ...base, documentType: 'passport' })],
    ['a document type outside the table', () => ({ ...base, documentType: 'LAISSEZ_PASSER' })],
    ['a document type inherited from Object.prototype', () => ({ ...base, documentType: 'constructor' })],
  ];
}

const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-POLICE', operatorId: 'officer-1', purpose: 'BORDER_CHECK' } });
afterAll(() => client.close());

describe('the pre-checks on hostile input', () => {
  for (const [name, make] of hostile()) {
    it(`agrees with the schema on ${name}`, async () => {
      const plain = plainDocumentQuery(make());
      if (plain !== undefined) {
        const parsed = documentQuerySchema.safeParse(make());
        expect(parsed.success).toBe(true);
        expect(plain).toStrictEqual(parsed.data);
        expect(Object.keys(plain)).toStrictEqual(Object.keys(parsed.data!));
      }
      const asSubject = (): unknown => {
        const v = make();
        if (typeof v !== 'object' || v === null) return v;
        return new Proxy(v, {
          ownKeys: (t) => [...Reflect.ownKeys(t), 'kind'],
          getOwnPropertyDescriptor: (t, k) => (k === 'kind' ? { value: 'document', enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(t, k)),
          get: (t, k, r) => (k === 'kind' ? 'document' : Reflect.get(t, k, r)),
          has: (t, k) => k === 'kind' || Reflect.has(t, k),
        });
      };
      const subjects = plainSubjects([asSubject()]);
      if (subjects !== undefined) {
        const parsed = subjectsSchema.safeParse([asSubject()]);
        expect(parsed.success).toBe(true);
        expect(subjects).toStrictEqual(parsed.data);
        expect(Object.keys(subjects[0]!)).toStrictEqual(Object.keys(parsed.data![0]!));
      }
      let expected: unknown;
      try {
        expected = { value: parseInput(documentQuerySchema, make()) };
      } catch (err) {
        expected = { error: err instanceof InputError ? err.message : String(err) };
      }
      try {
        const result = await client.checkDocument(make() as never);
        expect(expected).toHaveProperty('value');
        expect(result.verdict).not.toBe(undefined);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        expect(expected).toStrictEqual({ error: (err as InputError).message });
      }
    });
  }
});

describe('a Proxy whose traps disagree', () => {
  // zod asks whether a field is there with `in` (the has trap) and reads it with get; the pre-check must ask the same.
  const lying = (extra: object = {}) =>
    new Proxy({ ...base, ...extra }, { has: (t, k) => k !== 'documentNumber' && Reflect.has(t, k) });

  it('refuses a document query whose number is listed and readable but not `in` it, as the schema does', async () => {
    expect(documentQuerySchema.safeParse(lying()).success).toBe(false);
    expect(plainDocumentQuery(lying())).toBeUndefined();
    const error = await client.checkDocument(lying() as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toStrictEqual([{ path: 'documentNumber', message: 'is required' }]);
  });

  it('refuses subjects whose kind is listed and readable but not `in` it, as the schema does', () => {
    const subject = () => new Proxy({ kind: 'document', ...base }, { has: (t, k) => k !== 'kind' && Reflect.has(t, k) });
    expect(subjectsSchema.safeParse([subject()]).success).toBe(false);
    expect(plainSubjects([subject()])).toBeUndefined();
  });
});

describe('the call options’ pre-check', () => {
  it('refuses a signal that is an AbortSignal in name only, with a ConfigError naming signal', async () => {
    const fake = Object.create(AbortSignal.prototype) as AbortSignal;
    expect(callOptionsAccepted.plain({ signal: fake })).toBe(false);
    expect(callOptionsAccepted.schema({ signal: fake })).toBe(false);
    const error = await client.checkDocument(base, { signal: fake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('`signal`');
  });

  it('agrees with the schema on options and contexts of odd kinds', () => {
    const odd: unknown[] = [
      { context: [] },
      { context: Object.create(null) },
      { context: new Date() },
      { context: () => 0 },
      { context: new String('x') },
      { context: JSON.parse('{"__proto__":{}}') },
      JSON.parse('{"__proto__":{}}'),
      Object.assign(Object.create({ retry: 1 }) as object, { timeoutMs: 1000 }),
      new Proxy({ timeoutMs: 1000 }, { ownKeys: () => ['timeoutMs', 'retry'], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) }),
      Object.defineProperty({}, 'retry', { value: 1, enumerable: false }),
      { signal: AbortSignal.abort() },
      [],
      new Date(),
    ];
    for (const value of odd) expect(callOptionsAccepted.plain(value) && !callOptionsAccepted.schema(value)).toBe(false);
  });
});
