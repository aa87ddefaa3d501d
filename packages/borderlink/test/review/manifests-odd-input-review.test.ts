// borderlink/manifests on any input: arbitrary text and near-valid PAXLST give an EdifactError or a manifest, never
// a TypeError, and so does everything done with that manifest; arguments of the wrong shape from JavaScript callers
// are a ConfigError naming the argument, never a TypeError.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BorderlinkError, ConfigError, createClient } from 'borderlink';
import { mockTransport, writePaxlst } from 'borderlink/testing';
import {
  EdifactError,
  EdifactTokenizer,
  boardingAnswer,
  formatCusres,
  parsePaxlst,
  screenPaxlst,
  toBatchItem,
  toBatchItems,
  tokenizeEdifact,
  type PaxlstManifest,
} from 'borderlink/manifests';

const now = new Date('2025-06-01T00:00:00Z');
const fixtures = new URL('../manifests/fixtures/', import.meta.url);
const seeds = readdirSync(fixtures)
  .filter((f) => f.endsWith('.edi'))
  .map((f) => readFileSync(new URL(f, fixtures), 'latin1'));
const pieces = [..."+:?'.*\n\r ", 'UNA', 'UNB', 'UNH', 'UNT', 'UNZ', 'UNG', 'UNE', 'NAD+FL', 'DOC+P', 'DTM+329:', 'CNT+42:', 'LOC+91+', '20250230', '0', '9'];
const edited = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.array(fc.constantFrom(...pieces), { maxLength: 3 })), { minLength: 1, maxLength: 6 }))
  .map(([seed, edits]) => edits.reduce((text, [at, cut, added]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + added.join('') + text.slice(i + cut);
  }, seed));

/** Everything a caller does with a manifest: rows, and a CUSRES answering each traveller with an error. */
function useAll(m: PaxlstManifest): void {
  for (const t of m.travellers) {
    try {
      toBatchItem(t);
    } catch (err) {
      if (!(err instanceof EdifactError)) throw err;
    }
  }
  tokenizeEdifact(formatCusres(m.travellers.map((t) => ({ id: String(t.index), traveller: t, error: new EdifactError([{ code: 'BAD_DATE', segment: 1, line: 1, tag: 'DTM', message: 'x' }]) })), { reference: 'R1', manifest: m }));
}

describe('any text', () => {
  it('reads arbitrary and near-valid text as a manifest or an EdifactError, and whatever it reads can be used', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...pieces), maxLength: 80 }), edited, edited), (text) => {
        let m: PaxlstManifest;
        try {
          m = parsePaxlst(text, { now });
        } catch (err) {
          expect(err).toBeInstanceOf(EdifactError);
          return;
        }
        useAll(m);
      }),
      { numRuns: 4000 },
    );
  });
});

describe('arguments of the wrong shape', () => {
  const sync: [string, (a: unknown, b: unknown) => unknown][] = [
    ['toBatchItem', (a, b) => toBatchItem(a as never, b as never)],
    ['toBatchItems', (a, b) => toBatchItems(a as never, b as never)],
    ['formatCusres', (a, b) => formatCusres(a as never, b as never)],
    ['formatCusres rows', (a) => formatCusres([a] as never, { reference: 'R1' })],
    ['formatCusres results', (a) => formatCusres(a as never, { reference: 'R1' })],
    ['formatCusres manifest', (a) => formatCusres([], { reference: 'R1', manifest: a as never })],
    ['formatCusres codes', (a, b) => formatCusres([], { reference: 'R1', codes: a as never, sender: b as never })],
    ['formatCusres options', (a) => formatCusres([], a as never)],
    ['boardingAnswer', (a) => boardingAnswer(a as never)],
    ['parsePaxlst', (a, b) => parsePaxlst(a as never, b as never)],
    ['tokenizeEdifact', (a, b) => tokenizeEdifact(a as never, b as never)],
    ['EdifactTokenizer', (a) => new EdifactTokenizer(a as never)],
    ['EdifactTokenizer.write', (a) => new EdifactTokenizer().write(a as never, () => undefined)],
    ['writePaxlst', (a, b) => writePaxlst(a as never, b as never)],
    ['writePaxlst message', (a) => writePaxlst({ messages: [a] } as never)],
  ];
  const shapes = fc.oneof(fc.anything(), fc.record({ travellers: fc.array(fc.anything()), messages: fc.array(fc.anything()) }), fc.record({ traveller: fc.anything(), result: fc.anything() }));

  it.each(sync)('%s throws a BorderlinkError, never a TypeError', (_, call) => {
    fc.assert(
      fc.property(shapes, shapes, (a, b) => {
        try {
          call(a, b);
        } catch (err) {
          if (!(err instanceof BorderlinkError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('writePaxlst refuses a wrapAt that is not a positive whole number (0 wrapped forever)', () => {
    const draft = { messages: [{ flights: [], travellers: [{ surname: 'A' }] }] };
    for (const wrapAt of [0, -1, 1.5]) expect(() => writePaxlst(draft, { wrapAt })).toThrow(new ConfigError('writePaxlst: the options `wrapAt` is not a positive whole number'));
    expect(writePaxlst(draft, { wrapAt: 1 }).split('\r\n').every((line) => line.length === 1)).toBe(true);
  });

  it('screenPaxlst refuses a manifest or options of the wrong shape with a ConfigError', async () => {
    const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-API', operatorId: 'api-0001', purpose: 'MANIFEST_SCREENING' } });
    try {
      for (const [input, options] of [
        [{ travellers: [null], messages: [] }, {}],
        [{ travellers: [{}], messages: [] }, {}],
        [seeds[0], null],
        [seeds[0], 42],
      ] as const) {
        await expect(
          (async () => {
            for await (const _ of screenPaxlst(client, input as never, options as never)) void _;
          })(),
        ).rejects.toBeInstanceOf(ConfigError);
      }
    } finally {
      await client.close();
    }
  });
});
