// The CSV record parser and the column mapping, in-process: the end-to-end screen tests run the built command.
import { describe, expect, it } from 'vitest';
import { CsvRecordParser, fieldOfHeader, rowOfJson, subjectsOfRow } from '../../src/cli/manifest';
import { InputError, MrzError } from '../../src/errors/index';

function parseCsv(text: string): string[][] {
  const parser = new CsvRecordParser();
  const records: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const record = parser.line(line);
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
    const subjects = [{ kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }];
    expect(rowOfJson({ id: 'v', subjects }).subjects).toEqual(subjects);
    expect(() => rowOfJson([1])).toThrow(InputError);
  });
});
