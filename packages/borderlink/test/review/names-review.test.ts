// The adversarial review of names (issue 16). Rule 1: a name that holds nothing to search (modifier letters, the
// tatweel, the soft sign the ICAO table omits) is refused, never sent to read NO_HIT; letters outside the tables,
// combining marks, zero-width characters and mixed scripts never turn into an empty search. Rule 2: the spellings a
// query carries stay out of logs, errors and audit events. Variants stay bounded for names of hundreds of words, and
// no string reaches a TypeError.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClient,
  formatMrz,
  hasNameLetter,
  InputError,
  MAX_NAME_VARIANTS,
  nameVariants,
  transliterateName,
  type AuditEvent,
  type BorderlinkClient,
  type Logger,
} from 'borderlink';
import { demoDataset, mockTransport, type DatasetPerson } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' } as const;
const notice = (reference: string) => ({ type: 'RED' as const, reference, requestingCountry: 'UTO' });
const persons: DatasetPerson[] = [
  { recordId: 'NOMINAL-UZB-1', surname: 'GULOMOV', givenNames: ['OYBEK'], dateOfBirth: '1983-04-05', nationalities: ['UZB'], notice: notice('R-1/2026') },
  { recordId: 'NOMINAL-UKR-1', surname: 'MARIANENKO', givenNames: ['OLEKSII'], dateOfBirth: '1979-09-09', nationalities: ['UKR'], notice: notice('R-2/2026') },
  { recordId: 'NOMINAL-RUS-2', surname: 'ЦОЙ', givenNames: ['ВИКТОР'], dateOfBirth: '1962-06-21', nationalities: ['RUS'], notice: notice('R-3/2026') },
];

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function client(extra: Record<string, unknown> = {}): BorderlinkClient {
  const c = createClient({ transport: mockTransport({ dataset: { ...demoDataset, persons: [...demoDataset.persons, ...persons] } }), context, ...extra } as never);
  clients.push(c as unknown as BorderlinkClient);
  return c as unknown as BorderlinkClient;
}

/** Letters that print as (or stand for) no letter: modifier letters, the tatweel, a length mark, the soft sign. */
const NOTHING = ['ʼ', 'ʻ', 'ʹ', 'ˮ', 'ـ', 'ー', 'ๆ', 'Ь', 'ь', 'ʼЬ', "Ь'", 'ЬЬ ʹ', 'ᅟ', 'ㅤ'];

describe('rule 1: a name with nothing to search', () => {
  it('is refused as holding no letter (modifier letters, the tatweel, the soft sign alone), never searched to read NO_HIT', async () => {
    const c = client();
    for (const surname of NOTHING) {
      expect(hasNameLetter(surname), JSON.stringify(surname)).toBe(false);
      const error = await c.checkPerson({ surname, dateOfBirth: '1974-08-12' }).catch((e: unknown) => e);
      expect(error, JSON.stringify(surname)).toBeInstanceOf(InputError);
      expect((error as InputError).issues).toEqual([{ path: 'surname', message: 'must hold at least one letter' }]);
      // A given name of nothing is refused the same way.
      const given = await c.checkPerson({ surname: 'ERIKSSON', givenNames: [surname] }).catch((e: unknown) => e);
      expect((given as InputError).issues, JSON.stringify(surname)).toEqual([{ path: 'givenNames.0', message: 'must hold at least one letter' }]);
    }
  });

  it('keeps such a letter beside real ones: it is part of the name, dropped from its ICAO form', () => {
    for (const surname of ['Gʻulomov', 'Марʼяненко', 'Ильин', 'ジョー']) expect(hasNameLetter(surname), surname).toBe(true);
  });

  it('never gives a name it accepts an ICAO form without a letter to search', () => {
    const unit = fc.constantFrom(...NOTHING.join(''), '\u0301', '\u0308', "'", '-', ' ', '.', 'a', 'Ж', 'ß', '王', 'ع', 'Ω', '\u064e');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 12 }), (surname) => {
        if (!hasNameLetter(surname)) return;
        // Its first spelling holds an A–Z letter, or is the name as written because no table writes it.
        const [first] = nameVariants({ surname });
        const unwritable = (() => {
          try {
            transliterateName(surname);
            return false;
          } catch {
            return true;
          }
        })();
        expect(/[A-Z]/.test(first!.surname) || unwritable, JSON.stringify(surname)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the ʻ of Uzbek and Hawaiian names and the ʹ of a transliteration as the apostrophes they are: dropped', async () => {
    expect(transliterateName('Gʻulomov')).toBe('GULOMOV');
    expect(transliterateName('Hawaiʻi')).toBe('HAWAII');
    expect(transliterateName('Ilʹin')).toBe('ILIN');
    const result = await client().checkPerson({ surname: 'Gʻulomov', givenNames: ['Oybek'], dateOfBirth: '1983-04-05' });
    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.recordId)).toEqual(['NOMINAL-UZB-1']);
  });

  it('accepts a name typed with a typographic apostrophe (’ or ‘), as the name it is', async () => {
    const c = client();
    const ukrainian = await c.checkPerson({ surname: 'Мар’яненко', givenNames: ['Олексій'], dateOfBirth: '1979-09-09', nationality: 'UKR' });
    expect(ukrainian.verdict).toBe('HIT');
    expect(ukrainian.hits.map((h) => h.recordId)).toEqual(['NOMINAL-UKR-1']);
    const irish = await c.checkPerson({ surname: 'O‘Brien', givenNames: ['Seán'] });
    expect(irish.verdict).toBe('NO_HIT');
  });

  it('refuses zero-width and other invisible characters in a name, naming the field: never a search for a name no record holds', async () => {
    const c = client();
    for (const surname of ['\u200bERIKSSON', 'ERIK\u200dSSON', 'ERIKSSON\u2060', 'ERIK\u00adSSON', '\u202eNOSSKIRE']) {
      const error = await c.checkPerson({ surname, dateOfBirth: '1974-08-12' }).catch((e: unknown) => e);
      expect(error, JSON.stringify(surname)).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.path)).toEqual(['surname']);
      expect((error as Error).message).not.toContain('ERIK');
    }
  });

  it('finds a record from a name of mixed scripts (a Cyrillic letter among Latin ones) and from combining marks', async () => {
    const c = client();
    // ERIKSSОN with a Cyrillic О, ЦОЙ with a Latin O, and decomposed accents.
    for (const [surname, givenNames, dateOfBirth, recordId] of [
      ['ERIKSS\u041eN', ['ANNA', 'MARIA'], '1974-08-12', 'NOMINAL-UTO-0002'],
      ['\u0426OЙ', ['Виктор'], '1962-06-21', 'NOMINAL-RUS-2'],
      ['E\u0301RIKSSON', ['A\u0300NNA', 'MARIA'], '1974-08-12', 'NOMINAL-UTO-0002'],
    ] as const) {
      const result = await c.checkPerson({ surname, givenNames: [...givenNames], dateOfBirth });
      expect(result.hits.map((h) => h.recordId), surname).toContain(recordId);
    }
  });
});

describe('rule 2: the spellings a query carries', () => {
  it('stay out of logs and audit events (a keyed hash only), and out of errors', async () => {
    const lines: string[] = [];
    const sink = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const logger: Logger = { error: sink('error'), warn: sink('warn'), info: sink('info'), debug: sink('debug') };
    const events: AuditEvent[] = [];
    const c = client({ logLevel: 'debug', logger, onAudit: (e: AuditEvent) => events.push(e), cache: { noHitTtlMs: 60_000, hitTtlMs: 60_000 } });
    const name = { surname: 'Цой', givenNames: ['Виктор'], dateOfBirth: '1962-06-21' };
    const spellings = nameVariants(name).flatMap((v) => [v.surname, ...v.givenNames]);
    expect(spellings).toEqual(expect.arrayContaining(['TSOI', 'ЦОЙ', 'TSOY', 'VIKTOR']));
    const hit = await c.checkPerson(name);
    expect(hit.hits.map((h) => h.recordId)).toEqual(['NOMINAL-RUS-2']);
    await c.checkPerson(name);
    const error = await c.checkPerson({ ...name, nameVariants: [{ surname: 'TSOY', givenNames: ['1'] }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const text = [...lines, JSON.stringify(events), (error as Error).message, JSON.stringify(error)].join('\n');
    // The refused check is never sent, and has no event: the two that ran (the second from the cache) have one each.
    expect(events.length).toBe(2);
    for (const spelling of new Set([...spellings, 'Цой', 'Виктор', '1962-06-21'])) expect(text, spelling).not.toContain(spelling);
  });
});

describe('names of hundreds of words', () => {
  it('give at most MAX_NAME_VARIANTS spellings, the ICAO form first', () => {
    const words = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word}${'ÄÖÜ'[i % 3]}`).join(' ');
    for (const name of [
      { surname: words(400, 'Müller'), givenNames: Array.from({ length: 300 }, () => words(3, 'Юлия-Щорс')) },
      { surname: words(800, 'Ω') },
      { surname: 'ß'.repeat(50_000), givenNames: Array.from({ length: 1000 }, () => 'Å') },
    ]) {
      const variants = nameVariants(name);
      expect(variants.length).toBeGreaterThan(0);
      expect(variants.length).toBeLessThanOrEqual(MAX_NAME_VARIANTS);
      expect(variants[0]!.surname).toBe(transliterateName(name.surname));
    }
  });

  it('are refused by a check past the schema’s bounds, naming the field', async () => {
    const c = client();
    const error = await c.checkPerson({ surname: 'Müller '.repeat(300), givenNames: Array.from({ length: 11 }, () => 'Ülle') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((i) => i.path).sort()).toEqual(['givenNames', 'surname']);
  });
});

describe('any string', () => {
  const anyString = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('\ud800', '\udc00', 'ʼ', 'Ь', '\u0301', 'ß', 'Ж', 'Ω', 'ع', ' ', '-', "'") }));

  it('gives transliterateName a form or an InputError, and nameVariants a bounded list: never a TypeError', () => {
    fc.assert(
      fc.property(anyString, fc.array(anyString, { maxLength: 4 }), (surname, givenNames) => {
        try {
          expect(typeof transliterateName(surname)).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
        const variants = nameVariants({ surname, givenNames });
        expect(variants.length).toBeGreaterThan(0);
        expect(variants.length).toBeLessThanOrEqual(MAX_NAME_VARIANTS);
        expect(typeof hasNameLetter(surname)).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('gives checkPerson an answer or an InputError naming only fields, and formatMrz lines or its RangeError naming the field: never a TypeError', async () => {
    const c = client();
    await fc.assert(
      fc.asyncProperty(anyString, fc.array(anyString, { maxLength: 3 }), fc.option(anyString, { nil: undefined }), async (surname, givenNames, dateOfBirth) => {
        try {
          const result = await c.checkPerson({ surname, givenNames, ...(dateOfBirth !== undefined ? { dateOfBirth } : {}) });
          expect(result.verdict).toBeDefined();
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          for (const issue of (err as InputError).issues) expect(issue.path).toMatch(/^(surname|givenNames(\.\d+)?|dateOfBirth)$/);
        }
        // formatMrz refuses what does not fit the format with a RangeError naming the field (its documented error).
        try {
          formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname, givenNames, nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2030-01-01' });
        } catch (err) {
          expect(err).toBeInstanceOf(RangeError);
          expect((err as Error).message).toMatch(/^formatMrz: (surname|givenNames) /);
        }
      }),
      { numRuns: 500 },
    );
  });
});
