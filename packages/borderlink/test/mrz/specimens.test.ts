import { describe, expect, it } from 'vitest';
import { computeCheckDigit, formatMrz, isKnownStateCode, MRZ_ISSUE_CODES, parseMrz, STATE_CODES } from 'borderlink';
import type { MrzIssueCode, ParsedMrz } from 'borderlink';

const REF = { referenceDate: new Date('2025-06-01T00:00:00Z') };

const SPECIMENS = {
  TD3: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'],
  TD1: ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'],
  TD2: ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
  MRVA: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'],
  MRVB: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'],
} as const;

function codes(result: ParsedMrz): MrzIssueCode[] {
  return result.issues.map((found) => found.code);
}

describe('ICAO specimens', () => {
  it('reads the TD3 specimen field by field', () => {
    const result = parseMrz(SPECIMENS.TD3, REF);
    expect(result.format).toBe('TD3');
    expect(result.valid).toBe(true);
    expect(result.specimen).toBe(true);
    expect(result.document).toEqual({
      documentCode: 'P', documentType: 'PASSPORT', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO',
      surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], sex: 'F', birthDate: '1974-08-12', expiryDate: '2012-04-15',
      personalNumber: 'ZE184226B',
    });
    expect(result.checkDigits.composite).toEqual({ printed: '0', computed: 0, ok: true });
    expect(result.raw.personalNumberCheckDigit).toBe('1');
    expect(codes(result).sort()).toEqual(['DOCUMENT_EXPIRED', 'SPECIMEN_DOCUMENT']);
    expect(result.corrections).toEqual([]);
  });

  it.each(Object.entries(SPECIMENS))('accepts the %s specimen with every check digit passing', (format, lines) => {
    const result = parseMrz(lines, REF);
    expect(result.format).toBe(format);
    expect(result.valid).toBe(true);
    expect(Object.values(result.checkDigits).every((digit) => digit.ok)).toBe(true);
    expect(result.lines).toEqual(lines);
  });

  it('reads TD1, TD2 and the visas like the passport', () => {
    expect(parseMrz(SPECIMENS.TD1, REF).document).toMatchObject({ documentType: 'ID_CARD', documentNumber: 'D23145890', birthDate: '1974-08-12' });
    expect(parseMrz(SPECIMENS.TD2, REF).document).toMatchObject({ documentType: 'ID_CARD', surname: 'ERIKSSON' });
    expect(parseMrz(SPECIMENS.MRVA, REF).document).toMatchObject({
      documentType: 'VISA', nationality: 'XXX', birthDate: '1940-09-07', expiryDate: '1996-12-10', optionalData: ['6ZE184226B'],
    });
    expect(parseMrz(SPECIMENS.MRVB, REF).checkDigits.composite).toBeUndefined();
  });

  it('writes every specimen back exactly', () => {
    const person = { issuingState: 'UTO', surname: 'Eriksson', givenNames: ['Anna', 'María'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15' } as const;
    expect(formatMrz({ ...person, format: 'TD3', documentCode: 'P', documentNumber: 'L898902C3', personalNumber: 'ZE184226B' })).toEqual(SPECIMENS.TD3);
    expect(formatMrz({ ...person, format: 'TD1', documentCode: 'I', documentNumber: 'D23145890' })).toEqual(SPECIMENS.TD1);
    expect(formatMrz({ ...person, format: 'TD2', documentCode: 'I', documentNumber: 'D23145890' })).toEqual(SPECIMENS.TD2);
    const visa = { ...person, nationality: 'XXX', birthDate: '1940-09-07', expiryDate: '1996-12-10', documentCode: 'V', documentNumber: 'L8988901C' } as const;
    expect(formatMrz({ ...visa, format: 'MRVA', optionalData: ['6ZE184226B'] })).toEqual(SPECIMENS.MRVA);
    expect(formatMrz({ ...visa, format: 'MRVB' })).toEqual(SPECIMENS.MRVB);
  });
});

describe('government specimens', () => {
  // German passport and ID-card specimens (Mustermann), check digits computed by hand with 7-3-1.
  const GERMAN_PASSPORT = ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'];
  const GERMAN_ID = ['IDD<<T220001293<<<<<<<<<<<<<<<', '6408125<2010315D<<<<<<<<<<<<<4', 'MUSTERMANN<<ERIKA<<<<<<<<<<<<<'];

  it('computes the German passport digits the specimen prints', () => {
    expect(computeCheckDigit('C01X00T47')).toBe(8);
    expect(computeCheckDigit('640812')).toBe(5);
    expect(computeCheckDigit('270228')).toBe(3);
  });

  it('accepts the one-letter state code D<< of Germany', () => {
    const passport = parseMrz(GERMAN_PASSPORT, REF);
    expect(passport.valid).toBe(true);
    expect(passport.document).toMatchObject({ issuingState: 'D', nationality: 'D', surname: 'MUSTERMANN', givenNames: ['ERIKA'], expiryDate: '2027-02-28' });
    const id = parseMrz(GERMAN_ID, REF);
    expect(id.valid).toBe(true);
    expect(id.document).toMatchObject({ documentCode: 'ID', documentNumber: 'T22000129', sex: 'UNSPECIFIED', expiryDate: '2020-10-31' });
    expect(codes(id)).toEqual(['DOCUMENT_EXPIRED']);
  });

  it('writes the German specimens back', () => {
    expect(formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'D', documentNumber: 'C01X00T47', surname: 'Mustermann', givenNames: ['Erika'], nationality: 'D', birthDate: '1964-08-12', sex: 'F', expiryDate: '2027-02-28' })).toEqual(GERMAN_PASSPORT);
    expect(formatMrz({ format: 'TD1', documentCode: 'ID', issuingState: 'D', documentNumber: 'T22000129', surname: 'Mustermann', givenNames: ['Erika'], nationality: 'D', birthDate: '1964-08-12', sex: 'UNSPECIFIED', expiryDate: '2020-10-31' })).toEqual(GERMAN_ID);
  });
});

describe('input normalisation', () => {
  it('takes one string with CRLF, blank lines and trailing spaces', () => {
    const result = parseMrz(`\r\n\r\n${SPECIMENS.TD3[0]}   \r\n${SPECIMENS.TD3[1]}  \r\n\r\n`, REF);
    expect(result.valid).toBe(true);
    expect(result.lines).toEqual(SPECIMENS.TD3);
  });

  it('finds the MRZ block at the bottom of OCR text', () => {
    const text = ['PASSPORT  PASSEPORT', 'Surname / Nom', 'ERIKSSON', 'Given names ANNA MARIA', '', ...SPECIMENS.TD1, ''].join('\n');
    const result = parseMrz(text, REF);
    expect(result.format).toBe('TD1');
    expect(result.valid).toBe(true);
  });

  it('splits an MRZ whose line breaks were lost', () => {
    expect(parseMrz(SPECIMENS.TD3.join(''), REF).format).toBe('TD3');
  });
});

describe('strict mode', () => {
  it('refuses lowercase instead of upper-casing it', () => {
    const lines = [SPECIMENS.TD3[0].toLowerCase(), SPECIMENS.TD3[1]];
    const strict = parseMrz(lines, { ...REF, repair: false });
    expect(strict.valid).toBe(false);
    expect(codes(strict)).toContain('INVALID_CHARACTERS');
    expect(strict.corrections).toEqual([]);
    const repaired = parseMrz(lines, REF);
    expect(repaired.valid).toBe(true);
    expect(codes(repaired)).toContain('LOWERCASE_INPUT');
    expect(repaired.corrections.length).toBeGreaterThan(0);
    expect(repaired.lines).toEqual(SPECIMENS.TD3);
  });

  it('judges an O in a date as read', () => {
    const lines = [SPECIMENS.TD3[0], SPECIMENS.TD3[1].replace('7408122', '74O8122')];
    const strict = parseMrz(lines, { ...REF, repair: false });
    expect(codes(strict)).toEqual(expect.arrayContaining(['INVALID_BIRTH_DATE', 'BIRTH_DATE_CHECK_DIGIT']));
    expect(Object.keys(strict)).toEqual(Object.keys(parseMrz(lines, REF)));
  });

  it('still normalises line breaks and spaces', () => {
    expect(parseMrz(`${SPECIMENS.TD2.join('  \r\n')}\n\n`, { ...REF, repair: false }).valid).toBe(true);
  });
});

describe('OCR repair', () => {
  it('maps an O in a date to 0 and verifies it by the check digit', () => {
    const result = parseMrz([SPECIMENS.TD3[0], SPECIMENS.TD3[1].replace('7408122', '74O8122')], REF);
    expect(result.valid).toBe(true);
    expect(result.corrections).toEqual([{ line: 1, column: 15, from: 'O', to: '0', field: 'birthDate', verified: true }]);
    expect(codes(result)).toContain('OCR_CORRECTED');
  });

  it('repairs a document number substitution only the check digit can tell', () => {
    const result = parseMrz([SPECIMENS.TD3[0], `L8989O2C3${SPECIMENS.TD3[1].slice(9)}`], REF);
    expect(result.valid).toBe(true);
    expect(result.document?.documentNumber).toBe('L898902C3');
    expect(result.corrections[0]).toMatchObject({ column: 5, from: 'O', to: '0', verified: true });
  });

  it('reports ambiguity and changes nothing when two repairs pass', () => {
    // An 8 read as B in both places of a number: several single changes cannot fix it, several pairs could.
    const lines = ['I<UTOD2314589O7<<<<<<<<<<<<<<<', SPECIMENS.TD1[1], SPECIMENS.TD1[2]];
    const result = parseMrz(lines, REF);
    const ambiguous = result.issues.filter((found) => found.code === 'OCR_CORRECTION_AMBIGUOUS');
    if (ambiguous.length > 0) {
      expect(result.lines).toEqual(lines);
      expect(ambiguous[0]?.candidates?.length).toBeGreaterThan(1);
    } else {
      expect(result.document?.documentNumber).toBe('D23145890');
    }
  });

  it('repairs a digit in a state code when one known code results', () => {
    const result = parseMrz([SPECIMENS.TD3[0].replace('P<UTO', 'P<UT0'), SPECIMENS.TD3[1]], REF);
    expect(result.document?.issuingState).toBe('UTO');
    expect(result.corrections).toEqual([{ line: 0, column: 4, from: '0', to: 'O', field: 'issuingState', verified: false }]);
  });

  it('lists candidates by position and replacement only', () => {
    // GB0 reads as GBO or GBD, both known codes: nothing is chosen.
    const result = parseMrz([SPECIMENS.TD3[0].replace('P<UTO', 'P<GB0'), SPECIMENS.TD3[1]], REF);
    const ambiguous = result.issues.find((found) => found.code === 'OCR_CORRECTION_AMBIGUOUS');
    expect(ambiguous?.candidates).toEqual([[{ line: 0, column: 4, to: 'O' }], [{ line: 0, column: 4, to: 'D' }]]);
    expect(result.valid).toBe(false);
  });
});

describe('century rules', () => {
  const at = (iso: string) => ({ referenceDate: new Date(`${iso}T00:00:00Z`) });
  const withDates = (birth: string, expiry: string) =>
    formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'FRA', documentNumber: '12AB34567', surname: 'Martin', givenNames: ['Luc'], nationality: 'FRA', birthDate: birth, sex: 'M', expiryDate: expiry });

  it('puts a birth date in the latest century that is not in the future', () => {
    const lines = withDates('1925-06-02', '2030-01-01');
    expect(parseMrz(lines, at('2025-06-01')).document?.birthDate).toBe('1925-06-02');
    expect(parseMrz(lines, at('2025-06-02')).document?.birthDate).toBe('2025-06-02');
  });

  it('reads expiry YY as 19YY from reference YY + 50 on', () => {
    expect(parseMrz(withDates('1980-01-01', '2074-12-31'), at('2025-01-01')).document?.expiryDate).toBe('2074-12-31');
    expect(parseMrz(withDates('1980-01-01', '1975-01-01'), at('2025-01-01')).document?.expiryDate).toBe('1975-01-01');
  });

  it('warns about an expired document relative to the reference date', () => {
    const lines = withDates('1980-01-01', '2025-05-31');
    expect(codes(parseMrz(lines, at('2025-06-01')))).toContain('DOCUMENT_EXPIRED');
    expect(codes(parseMrz(lines, at('2025-05-31')))).not.toContain('DOCUMENT_EXPIRED');
  });

  it('reads unknown month and day as YYYY-MM or YYYY', () => {
    expect(parseMrz(withDates('1980-03', '2030-01-01'), REF).document?.birthDate).toBe('1980-03');
    expect(parseMrz(withDates('1980', '2030-01-01'), REF).document?.birthDate).toBe('1980');
  });

  it('refuses 30 February and accepts 29 February of a leap year', () => {
    const leap = withDates('2000-02-29', '2030-01-01');
    expect(parseMrz(leap, REF).document?.birthDate).toBe('2000-02-29');
    const bad = [leap[0] as string, (leap[1] as string).replace('000229', '000230')];
    bad[1] = `${(bad[1] as string).slice(0, 19)}${computeCheckDigit('000230')}${(bad[1] as string).slice(20)}`;
    expect(codes(parseMrz(bad, { ...REF, repair: false }))).toContain('INVALID_BIRTH_DATE');
  });
});

describe('issue codes', () => {
  const td3 = SPECIMENS.TD3;
  const set = (line: string, at: number, text: string) => line.slice(0, at) + text + line.slice(at + text.length);
  const strict = { ...REF, repair: false };
  const cases: [MrzIssueCode, ParsedMrz][] = [
    ['UNKNOWN_FORMAT', parseMrz(['ABC<<', 'DEF<<'], REF)],
    ['INVALID_LINE_COUNT', parseMrz([td3[0]], REF)],
    ['INVALID_LENGTH', parseMrz([td3[0], td3[1].slice(0, 42)], REF)],
    ['INVALID_CHARACTERS', parseMrz([set(td3[0], 10, '#'), td3[1]], REF)],
    ['INVALID_DOCUMENT_CODE', parseMrz(SPECIMENS.TD1.map((l, i) => (i === 0 ? set(l, 0, 'P') : l)), REF)],
    ['INVALID_ISSUING_STATE', parseMrz([set(td3[0], 2, 'ZZZ'), td3[1]], REF)],
    ['INVALID_NATIONALITY', parseMrz([td3[0], set(td3[1], 10, 'ZZZ')], REF)],
    ['INVALID_BIRTH_DATE', parseMrz([td3[0], set(td3[1], 13, '741312')], strict)],
    ['INVALID_EXPIRY_DATE', parseMrz([td3[0], set(td3[1], 21, '120432')], strict)],
    ['INVALID_SEX', parseMrz([td3[0], set(td3[1], 20, 'Q')], strict)],
    ['DOCUMENT_NUMBER_CHECK_DIGIT', parseMrz([td3[0], set(td3[1], 9, '7')], REF)],
    ['BIRTH_DATE_CHECK_DIGIT', parseMrz([td3[0], set(td3[1], 19, '3')], REF)],
    ['EXPIRY_DATE_CHECK_DIGIT', parseMrz([td3[0], set(td3[1], 27, '3')], REF)],
    ['PERSONAL_NUMBER_CHECK_DIGIT', parseMrz([td3[0], set(td3[1], 42, '7')], REF)],
    ['COMPOSITE_CHECK_DIGIT', parseMrz([td3[0], set(td3[1], 43, '7')], REF)],
    ['MISSING_NAME', parseMrz([set(td3[0], 5, '<'.repeat(39)), td3[1]], REF)],
    ['NAME_POSSIBLY_TRUNCATED', parseMrz([set(td3[0], 43, 'X'), td3[1]], REF)],
    ['SPECIMEN_DOCUMENT', parseMrz(td3, REF)],
    ['DOCUMENT_EXPIRED', parseMrz(td3, REF)],
    ['OCR_CORRECTED', parseMrz([td3[0], set(td3[1], 15, 'O')], REF)],
    ['OCR_CORRECTION_AMBIGUOUS', parseMrz([set(td3[0], 2, 'GB0'), td3[1]], REF)],
    // A letter read twice in the name: the trailing filler decides, and the other readings are listed.
    ['OCR_CORRECTION_UNCERTAIN', parseMrz([`${td3[0].slice(0, 5)}O${td3[0].slice(5)}`, td3[1]], REF)],
    ['LOWERCASE_INPUT', parseMrz([td3[0].toLowerCase(), td3[1]], REF)],
  ];

  it('reaches every code in the list', () => {
    expect(cases.map(([code]) => code).sort()).toEqual([...MRZ_ISSUE_CODES].sort());
  });

  it.each(cases)('raises %s', (code, result) => {
    const found = result.issues.find((candidate) => candidate.code === code);
    expect(found).toBeDefined();
    if (found?.severity === 'error') expect(result.valid).toBe(false);
  });

  it('accepts an empty personal number with < or 0 as its digit', () => {
    const base = formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname: 'Eriksson', givenNames: ['Anna'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2032-04-15' });
    expect(base[1]?.slice(28, 43)).toBe('<<<<<<<<<<<<<<<');
    const zero = [base[0] as string, set(base[1] as string, 42, '0')];
    expect(parseMrz(zero, REF).checkDigits.personalNumber?.ok).toBe(true);
  });

  it('reads sex < as UNSPECIFIED and accepts X', () => {
    expect(parseMrz([td3[0], set(td3[1], 20, 'X')], REF).document?.sex).toBe('X');
    expect(parseMrz([td3[0], set(td3[1], 20, '<')], REF).document?.sex).toBe('UNSPECIFIED');
  });

  it('turns < inside a surname into spaces', () => {
    const lines = formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'MEX', documentNumber: '12', surname: 'de la Cruz', givenNames: [], nationality: 'MEX', birthDate: '1990-01-01', sex: 'M', expiryDate: '2030-01-01' });
    expect(lines[0]?.startsWith('P<MEXDE<LA<CRUZ<<<<')).toBe(true);
    expect(parseMrz(lines, REF).document).toMatchObject({ surname: 'DE LA CRUZ', givenNames: [] });
  });

  it('reads a TD1 document number that overflows into the optional data', () => {
    const lines = formatMrz({ format: 'TD1', documentCode: 'I', issuingState: 'PRT', documentNumber: 'D23145890ABC', surname: 'Silva', givenNames: ['Ana'], nationality: 'PRT', birthDate: '1974-08-12', sex: 'F', expiryDate: '2030-04-15' });
    const result = parseMrz(lines, REF);
    expect(lines[0]?.slice(14, 20)).toBe('<ABC2<');
    expect(result.document?.documentNumber).toBe('D23145890ABC');
    expect(result.checkDigits.documentNumber).toEqual({ printed: '2', computed: 2, ok: true, overflow: true });
  });
});

describe('no personal data in messages', () => {
  it('never puts the document number, names or dates in an issue message', () => {
    const lines = ['P<UTOERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<', 'L898902C37UTO7408123F1204150ZE184226B<<<<<11'];
    const result = parseMrz(lines, REF);
    expect(result.issues.length).toBeGreaterThan(3);
    for (const found of result.issues) {
      for (const secret of ['L898902C3', 'ERIKSS', 'ANNA', 'MAR1A', '740812', '120415', 'ZE184226B', '1974', '2012']) {
        expect(found.message).not.toContain(secret);
      }
    }
  });

  it('never puts a value in a formatMrz error', () => {
    expect(() => formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'SECRET123456', surname: 'X', givenNames: [], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2030-01-01' }))
      .toThrow(/^formatMrz: documentNumber [^S]*$/);
    expect(() => formatMrz({ format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'A1', surname: 'Ærø', givenNames: ['李'], nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2030-01-01' }))
      .toThrow(RangeError);
  });
});

describe('check digits and state codes', () => {
  it('computes 7-3-1 digits and refuses characters outside the MRZ alphabet', () => {
    expect(computeCheckDigit('L898902C3')).toBe(6);
    expect(computeCheckDigit('<<<<')).toBe(0);
    expect(() => computeCheckDigit('ab')).toThrow(RangeError);
  });

  it('knows ISO codes, ICAO special codes and the specimen state', () => {
    for (const code of ['DEU', 'GBR', 'GBD', 'GBN', 'GBO', 'GBP', 'GBS', 'EUE', 'UNO', 'UNA', 'UNK', 'XPO', 'XXA', 'XXB', 'XXC', 'XXX', 'RKS', 'XXK', 'XOM', 'XCC', 'XBA', 'XIM', 'XES', 'XMP', 'ZIM', 'D<<']) {
      expect(isKnownStateCode(code)).toBe(true);
    }
    expect(STATE_CODES.get('UTO')?.kind).toBe('specimen');
    expect(STATE_CODES.get('DEU')?.kind).toBe('iso');
    expect(isKnownStateCode('ZZZ')).toBe(false);
  });

  it('refuses an unknown option', () => {
    expect(() => parseMrz(SPECIMENS.TD3, { repiar: false } as never)).toThrow(RangeError);
  });
});
