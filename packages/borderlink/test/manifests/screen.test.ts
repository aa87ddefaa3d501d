// From a manifest to checks and back to the gate: toBatchItems, screenPaxlst against the mock gateway, and the
// CUSRES answer, where nothing but a clear result is "board".
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, createClient, type CheckResult } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import {
  EdifactError,
  boardingAnswer,
  formatCusres,
  parsePaxlst,
  screenPaxlst,
  toBatchItem,
  toBatchItems,
  tokenizeEdifact,
  type ScreenedTraveller,
} from 'borderlink/manifests';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const now = new Date('2025-06-01T00:00:00Z');
const context = { authorityId: 'UTO-API', operatorId: 'api-0001', purpose: 'MANIFEST_SCREENING' } as const;

async function screen(name: string, transport = mockTransport()): Promise<ScreenedTraveller[]> {
  const client = createClient({ transport, context });
  const rows: ScreenedTraveller[] = [];
  try {
    for await (const row of screenPaxlst(client, fixture(name), { parse: { now }, batchSize: 2 })) rows.push(row);
  } finally {
    await client.close();
  }
  return rows.sort((a, b) => a.traveller.index - b.traveller.index);
}

/** The ERC code of each ERP group of a CUSRES, in order. */
const answerCodes = (cusres: string) => tokenizeEdifact(cusres).filter((s) => s.tag === 'ERC').map((s) => s.elements[0]![0]);

describe('toBatchItems', () => {
  it('makes one row per traveller: every document and the person, by the traveller’s index', () => {
    const items = toBatchItems(parsePaxlst(fixture('crew.edi'), { now }));
    expect(items.map((i) => i.id)).toEqual(['1', '2', '3']);
    expect(items[1]).toEqual({
      id: '2',
      subjects: [
        { kind: 'document', documentNumber: 'X2000001', issuingState: 'UTO', documentType: 'PASSPORT' },
        { kind: 'document', documentNumber: 'ZZC4471', issuingState: 'UTO', documentType: 'OTHER' },
        { kind: 'person', surname: 'OKAFOR', givenNames: ['CHIDI'], dateOfBirth: '1988-02-14', sex: 'M', nationality: 'UTO' },
      ],
    });
    expect(toBatchItems(parsePaxlst(fixture('crew.edi'), { now }), { subjects: 'person' })[1]!.subjects.map((s) => s.kind)).toEqual(['person']);
    expect(toBatchItems(parsePaxlst(fixture('crew.edi'), { now }), { subjects: 'documents', id: (t) => `crew-${t.index}` })[0]).toMatchObject({ id: 'crew-1', subjects: [{ kind: 'document' }] });
  });

  it('throws a traveller’s issues as an EdifactError naming the position, never the value', () => {
    const m = parsePaxlst(fixture('broken-doc-without-number.edi'), { now });
    expect(() => toBatchItem(m.travellers[1]!)).toThrow(EdifactError);
    expect(() => toBatchItems(m)).toThrow(expect.objectContaining({ segment: 25, tag: 'DOC', code: 'INVALID_EDIFACT' }));
    expect(toBatchItem(m.travellers[0]!).id).toBe('1');
    expect(() => toBatchItem(m.travellers[0]!, { subjects: 'all' as never })).toThrow(ConfigError);
  });
});

describe('screenPaxlst', () => {
  it('answers every traveller once, with the verdicts the demo dataset gives', async () => {
    const rows = await screen('passengers.edi');
    expect(rows.map((r) => [r.id, r.traveller.surname, r.result?.verdict])).toEqual([
      ['1', 'ERIKSSON', 'HIT'],
      ['2', 'STORGARD', 'POSSIBLE_HIT'],
      ['3', 'NOVAK', 'NO_HIT'],
      ['4', 'DOE', 'HIT'],
      ['5', 'LINDQVIST', 'NO_HIT'],
    ]);
  });

  it('answers a traveller that cannot be checked with its EdifactError, unsent, and screens the others', async () => {
    const transport = mockTransport();
    const rows = await screen('broken-bad-date.edi', transport);
    expect(rows.map((r) => [r.id, r.error?.code ?? r.result?.verdict])).toEqual([
      ['1', 'INVALID_EDIFACT'],
      ['2', 'NO_HIT'],
    ]);
    expect(rows[0]!.error).toBeInstanceOf(EdifactError);
    const sent = JSON.stringify(transport.requests.map((r) => r.body));
    expect(sent).not.toContain('TANAKA');
    expect(sent).toContain('HASSAN');
  });

  it('refuses a broken interchange before any traveller is screened', async () => {
    const transport = mockTransport();
    await expect(screen('broken-cnt.edi', transport)).rejects.toBeInstanceOf(EdifactError);
    expect(transport.requests).toHaveLength(0);
  });

  it('refuses two travellers under one id rather than guess which answer is whose', async () => {
    const client = createClient({ transport: mockTransport(), context });
    const rows: ScreenedTraveller[] = [];
    for await (const row of screenPaxlst(client, parsePaxlst(fixture('multileg.edi'), { now }), { id: () => 'same' })) rows.push(row);
    await client.close();
    rows.sort((a, b) => a.traveller.index - b.traveller.index);
    expect(rows.map((r) => [r.id, r.error?.code ?? r.result?.verdict])).toEqual([
      ['same', 'NO_HIT'],
      ['#2', 'INVALID_INPUT'],
    ]);
  });
});

describe('formatCusres', () => {
  it('answers board only for a clear result: a hit is no-board, a possible hit contact', async () => {
    const manifest = parsePaxlst(fixture('passengers.edi'), { now });
    const rows = await screen('passengers.edi');
    const cusres = formatCusres(rows, { reference: 'ANS0001', manifest, preparedAt: new Date('2025-03-01T09:00:00Z') });
    expect(answerCodes(cusres)).toEqual(['1Z', '2Z', '0Z', '1Z', '0Z']);
    const segments = tokenizeEdifact(cusres);
    expect(segments.slice(0, 6).map((s) => [s.tag, s.elements])).toEqual([
      ['UNA', [[':', '+', '.', '?', ' ', "'"]]],
      ['UNB', [['UNOA', '4'], ['UTOAPI'], ['ZZAIRLINE'], ['250301', '0900'], ['ANS0001']]],
      ['UNH', [['1'], ['CUSRES', 'D', '05B', 'UN', 'IATA']]],
      ['BGM', [['962']]],
      ['RFF', [['TN', 'TX0001']]],
      ['RFF', [['ACW', 'M1']]],
    ]);
    // Every count of the answer is right: it reads back through the same envelope checks.
    const unt = segments.find((s) => s.tag === 'UNT')!;
    expect(Number(unt.elements[0]![0])).toBe(segments.filter((s) => s.tag !== 'UNA' && s.tag !== 'UNB' && s.tag !== 'UNZ').length);
    // Each traveller named by its references, name and first document, so the carrier can match the answer.
    const second = segments.findIndex((s) => s.tag === 'NAD' && s.elements[3]![0] === 'STORGARD');
    expect(segments.slice(second - 2, second + 3).map((s) => s.tag)).toEqual(['RFF', 'RFF', 'NAD', 'DOC', 'ERC']);
  });

  it('never answers board for an INCOMPLETE, an error, or a traveller with no answer', async () => {
    const manifest = parsePaxlst(fixture('split.edi'), { now });
    const incomplete = await screen('split.edi', mockTransport({ faults: [{ type: 'outcome', status: 'TIMEOUT', sources: ['NOMINAL'] }] }));
    expect(incomplete.filter((r) => r.result?.verdict === 'INCOMPLETE').length).toBeGreaterThan(0);
    const answers = incomplete.map((r) => boardingAnswer(r));
    incomplete.forEach((r, i) => expect(answers[i]).toBe(r.result?.verdict === 'NO_HIT' ? 'BOARD' : 'CONTACT'));
    // Only the first two travellers answered (a screen stopped half way): the third is "contact", never "board".
    const clear = (await screen('split.edi')).slice(0, 2);
    expect(clear.map((r) => r.result?.verdict)).toEqual(['NO_HIT', 'NO_HIT']);
    expect(answerCodes(formatCusres(clear, { reference: 'A1', manifest }))).toEqual(['0Z', '0Z', '2Z']);
    // One CUSRES message per PAXLST message.
    expect(tokenizeEdifact(formatCusres(clear, { reference: 'A1', manifest })).filter((s) => s.tag === 'UNH')).toHaveLength(2);
    const errored: ScreenedTraveller[] = [{ ...clear[0]!, result: undefined, error: new EdifactError([manifest.travellers[0]!.issues[0] ?? { code: 'BAD_DATE', segment: 1, line: 1, tag: 'DTM', message: 'x' }]) }];
    expect(answerCodes(formatCusres(errored, { reference: 'A2' }))).toEqual(['2Z']);
  });

  it('never answers board for a clear result that did not search the traveller’s document and person', async () => {
    const client = createClient({ transport: mockTransport(), context });
    const answers: string[] = [];
    for await (const row of screenPaxlst(client, fixture('multileg.edi'), { parse: { now }, subjects: 'person' })) answers.push(`${row.result?.verdict}:${boardingAnswer(row)}`);
    for await (const row of screenPaxlst(client, fixture('multileg.edi'), { parse: { now }, subjects: 'documents' })) answers.push(`${row.result?.verdict}:${boardingAnswer(row)}`);
    for await (const row of screenPaxlst(client, fixture('multileg.edi'), { parse: { now } })) answers.push(`${row.result?.verdict}:${boardingAnswer(row)}`);
    await client.close();
    expect(answers).toEqual(['NO_HIT:CONTACT', 'NO_HIT:CONTACT', 'NO_HIT:CONTACT', 'NO_HIT:CONTACT', 'NO_HIT:BOARD', 'NO_HIT:BOARD']);
  });

  it('takes a state’s own codes, and refuses codes that make another answer read as board', () => {
    const row = { id: '1', traveller: parsePaxlst(fixture('multileg.edi'), { now }).travellers[0]!, result: { verdict: 'HIT', outcomes: [], hits: [] } as unknown as CheckResult };
    expect(answerCodes(formatCusres([row], { reference: 'A3', codes: { NO_BOARD: 'NB' } }))).toEqual(['NB']);
    expect(() => formatCusres([row], { reference: 'A3', codes: { CONTACT: '0Z' } })).toThrow(ConfigError);
    expect(() => formatCusres([row], { reference: 'not a reference!' })).toThrow(ConfigError);
    expect(() => formatCusres([row], { reference: 'A3', extra: 1 } as never)).toThrow(new ConfigError('formatCusres: option `extra` is not known'));
  });
});
