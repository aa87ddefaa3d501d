// The CSV record parser and the column mapping, in-process: the end-to-end screen tests run the built command.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/args';
import { CsvRecordParser, columnsOfHeader, fieldOfHeader, headerKey, rowOfJson, subjectsOfRow } from '../src/manifest';
import { OVER_LONG } from '../src/lines';
import { InputError, MrzError } from 'borderlink';

function parseCsv(text: string): string[][] {
  const parser = new CsvRecordParser();
  const records: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const record = parser.line(line);
    if (record === OVER_LONG) throw new Error('over-long record');
    if (record !== undefined) records.push(record);
  }
  expect(parser.unterminated).toBe(false);
  return records;
}

describe('CsvRecordParser (RFC 4180)', () => {
  it('splits plain fields, keeping empty ones', () => {
    expect(parseCsv('a,b,,d')).toEqual([['a', 'b', '', 'd']]);
    expect(parseCsv(',')).toEqual([['', '']]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('"SMITH, JR","say ""hi""",x')).toEqual([['SMITH, JR', 'say "hi"', 'x']]);
    expect(parseCsv('1,"NILS\nERIK",3\n4,5,6')).toEqual([
      ['1', 'NILS\nERIK', '3'],
      ['4', '5', '6'],
    ]);
    expect(parseCsv('"",""')).toEqual([['', '']]);
  });

  it('keeps a quote inside an unquoted field as it is, and text after a closing quote', () => {
    expect(parseCsv('O"BRIEN,"A"B')).toEqual([['O"BRIEN', 'AB']]);
  });

  it('reads a line fed in pieces, a doubled quote split between two pieces included', () => {
    const parser = new CsvRecordParser();
    parser.feed('"SAY ""HI"');
    parser.feed('"""",x');
    expect(parser.endLine()).toEqual(['SAY "HI""', 'x']);
  });

  it('makes a record past its bound OVER_LONG, still following its quotes, and reads the next record', () => {
    const parser = new CsvRecordParser(10);
    expect(parser.line('1,"a long field')).toBeUndefined();
    expect(parser.line('with a "", and more",3')).toBe(OVER_LONG);
    expect(parser.line('4,"5"')).toEqual(['4', '5']);
    expect(parser.line('1234567890')).toEqual(['1234567890']);
  });

  it('reports input that ends inside a quoted field', () => {
    const parser = new CsvRecordParser();
    expect(parser.line('1,"open')).toBeUndefined();
    expect(parser.unterminated).toBe(true);
  });
});

describe('manifest columns', () => {
  it('accepts the common header spellings, case-insensitively', () => {
    const headers = ['documentNumber', 'document_number', 'DOC_NUMBER', 'Passport Number', 'issuingState', 'issuing_state', 'Issuer', 'type',
      'document_type', 'Surname', 'last_name', 'FAMILY_NAME', 'givenNames', 'given_names', 'first_name', 'DOB', 'date_of_birth', 'birth_date',
      'Nationality', 'SEX', 'mrz', 'id'];
    expect(headers.map(fieldOfHeader)).toEqual(['documentNumber', 'documentNumber', 'documentNumber', 'documentNumber', 'issuingState',
      'issuingState', 'issuingState', 'documentType', 'documentType', 'surname', 'surname', 'surname', 'givenNames', 'givenNames',
      'givenNames', 'dateOfBirth', 'dateOfBirth', 'dateOfBirth', 'nationality', 'sex', 'mrz', 'id']);
    expect(fieldOfHeader('seat')).toBeUndefined();
  });

  it('maps the common spellings of the document number and of every other field', () => {
    const spellings: Record<string, string[]> = {
      documentNumber: ['passport', 'passport_no', 'passport number', 'Passport No.', 'document', 'doc_no', 'doc number', 'Document Number',
        'travel document number', 'Document #'],
      givenNames: ['given names', 'first name', 'forename', 'Forenames'],
      surname: ['surname', 'last name', 'family name'],
      dateOfBirth: ['date of birth', 'dob', 'birth date', 'Date-of-Birth'],
      nationality: ['nationality', 'citizenship'],
      issuingState: ['issuing state', 'issuing country', 'country of issue', 'Country (of issue)'],
      documentType: ['document type', 'doc type'],
      sex: ['sex', 'gender'],
      mrz: ['mrz', 'MRZ'],
    };
    for (const [field, headers] of Object.entries(spellings)) {
      for (const header of headers) expect({ header, field: fieldOfHeader(header) }).toEqual({ header, field });
    }
  });

  it('refuses a header column it cannot map unless ignored, and two columns for one field', () => {
    expect(() => columnsOfHeader(['passport', 'seat'], new Set())).toThrow(UsageError);
    expect(columnsOfHeader(['passport', 'seat'], new Set([headerKey('SEAT')]))).toEqual(['documentNumber', undefined]);
    expect(() => columnsOfHeader(['passport', 'document_number'], new Set())).toThrow(/columns 1 and 2 both name documentNumber/);
    expect(() => columnsOfHeader(['L898902C3', 'ERIKSSON'], new Set())).toThrow(/^the CSV header names no known column \(/);
    expect(() => columnsOfHeader(['L898902C3', 'ERIKSSON'], new Set())).not.toThrow(/L898902C3|ERIKSSON/);
  });

  it('makes a document subject and a person subject of one row', () => {
    expect(subjectsOfRow({ documentNumber: 'L898902C3', issuingState: 'uto', documentType: 'P', surname: 'ERIKSSON', givenNames: ' ANNA  MARIA ', dateOfBirth: '1974-08-12', sex: 'f', nationality: 'uto' })).toEqual([
      { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
      { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', sex: 'F', nationality: 'UTO' },
    ]);
  });

  it('reads an mrz column with lines split by | or a line break', () => {
    const lines = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    for (const mrz of [lines.join('|'), lines.join('\n'), lines.join('\\n')]) {
      expect(subjectsOfRow({ mrz }).map((s) => s.kind)).toEqual(['document', 'person']);
    }
    expect(() => subjectsOfRow({ mrz: 'P<UTO|L898' })).toThrow(MrzError);
  });

  it('refuses a row with nothing to check, naming no value', () => {
    expect(() => subjectsOfRow({ nationality: 'UTO' })).toThrow(InputError);
  });

  it('maps JSONL keys the same way and passes { id, subjects } through', () => {
    expect(rowOfJson({ id: 7, passport_number: 'X1', given_names: ['A', 'B'] }).row).toEqual({ id: '7', documentNumber: 'X1', givenNames: ['A', 'B'] });
    expect(rowOfJson({ id: 7, passprt: 'X1', seat: '1A' }, new Set(['seat'])).unknownKeys).toEqual(['passprt']);
    expect(() => rowOfJson({ passport: 'X1', documentNumber: 'X2' })).toThrow(InputError);
    const subjects = [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }];
    expect(rowOfJson({ id: 'v', subjects }).subjects).toEqual(subjects);
    // A document number beside subjects would not be checked.
    expect(() => rowOfJson({ id: 'v', subjects, documentNumber: 'L898902C3' })).toThrow(InputError);
    expect(() => rowOfJson([1])).toThrow(InputError);
  });
});
