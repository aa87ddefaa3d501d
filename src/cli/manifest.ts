// Reading manifests: an RFC 4180 CSV record parser fed one physical line at a time (so input is streamed), and the
// mapping from a manifest's columns to the subjects of a check.
import { InputError } from '../errors/index';
import { parseMrz } from '../mrz/index';
import { subjectsFromMrz } from '../queries/mrz-check';
import type { DocumentType, Subject } from '../queries/types';

/**
 * RFC 4180 records from physical lines: fields split by commas, a field in double quotes may hold commas, line
 * breaks and doubled quotes (`""`). Lenient where RFC 4180 is silent: a quote inside an unquoted field is kept as is.
 */
export class CsvRecordParser {
  #fields: string[] = [];
  #field = '';
  #inQuotes = false;
  #quoted = false;

  /** Feeds one line without its line break; returns the record once it is complete (a quoted field may go on). */
  line(text: string): string[] | undefined {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.#inQuotes) {
        if (ch !== '"') this.#field += ch;
        else if (text[i + 1] === '"') {
          this.#field += '"';
          i++;
        } else this.#inQuotes = false;
      } else if (ch === ',') {
        this.#fields.push(this.#field);
        this.#field = '';
        this.#quoted = false;
      } else if (ch === '"' && this.#field === '' && !this.#quoted) {
        this.#inQuotes = true;
        this.#quoted = true;
      } else {
        this.#field += ch;
      }
    }
    if (this.#inQuotes) {
      this.#field += '\n';
      return undefined;
    }
    this.#fields.push(this.#field);
    const record = this.#fields;
    this.#fields = [];
    this.#field = '';
    this.#quoted = false;
    return record;
  }

  /** True when the input ended inside a quoted field. */
  get unterminated(): boolean {
    return this.#inQuotes;
  }
}

/** The manifest fields the screen understands. */
export type ManifestField =
  | 'id'
  | 'documentNumber'
  | 'issuingState'
  | 'documentType'
  | 'surname'
  | 'givenNames'
  | 'dateOfBirth'
  | 'nationality'
  | 'sex'
  | 'mrz';

/** Header spellings, compared lower-case with spaces, `_`, `-` and `.` removed. */
const ALIASES: Readonly<Record<string, ManifestField>> = {
  id: 'id',
  documentnumber: 'documentNumber',
  docnumber: 'documentNumber',
  documentno: 'documentNumber',
  passportnumber: 'documentNumber',
  passportno: 'documentNumber',
  issuingstate: 'issuingState',
  issuer: 'issuingState',
  issuingcountry: 'issuingState',
  documenttype: 'documentType',
  doctype: 'documentType',
  type: 'documentType',
  surname: 'surname',
  lastname: 'surname',
  familyname: 'surname',
  givennames: 'givenNames',
  givenname: 'givenNames',
  firstname: 'givenNames',
  firstnames: 'givenNames',
  dateofbirth: 'dateOfBirth',
  dob: 'dateOfBirth',
  birthdate: 'dateOfBirth',
  nationality: 'nationality',
  sex: 'sex',
  gender: 'sex',
  mrz: 'mrz',
};

/** The field a header names, or undefined for a column the screen does not use (it is never sent). */
export function fieldOfHeader(header: string): ManifestField | undefined {
  const key = header.trim().toLowerCase().replace(/[\s_.-]/g, '');
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

export type ManifestRow = Partial<Record<ManifestField, string | string[]>>;

const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  PASSPORT: 'PASSPORT',
  P: 'PASSPORT',
  ID_CARD: 'ID_CARD',
  IDCARD: 'ID_CARD',
  ID: 'ID_CARD',
  I: 'ID_CARD',
  VISA: 'VISA',
  V: 'VISA',
  OTHER: 'OTHER',
};

const SEXES: Readonly<Record<string, 'M' | 'F' | 'X' | undefined>> = {
  M: 'M',
  MALE: 'M',
  F: 'F',
  FEMALE: 'F',
  X: 'X',
  U: undefined,
  '<': undefined,
  UNSPECIFIED: undefined,
};

function text(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const joined = (Array.isArray(value) ? value.join(' ') : String(value)).trim();
  return joined === '' ? undefined : joined;
}

/**
 * The subjects to check for one manifest row: its MRZ (document and holder), or its document and/or its person.
 * Throws an InputError (or MrzError) that names fields, never values.
 */
export function subjectsOfRow(row: ManifestRow): Subject[] {
  const mrz = text(row.mrz);
  if (mrz !== undefined) {
    const parsed = parseMrz(mrz.split(/\r?\n|\\n|\|/));
    return subjectsFromMrz(parsed, false);
  }
  const subjects: Subject[] = [];
  const documentNumber = text(row.documentNumber);
  if (documentNumber !== undefined) {
    const typeText = text(row.documentType)?.toUpperCase().replace(/[\s-]/g, '_');
    const documentType = typeText === undefined ? 'PASSPORT' : (DOCUMENT_TYPES[typeText] ?? (typeText as DocumentType));
    subjects.push({ kind: 'document', documentNumber, issuingState: text(row.issuingState)?.toUpperCase() ?? '', documentType });
  }
  const surname = text(row.surname);
  if (surname !== undefined) {
    const given = Array.isArray(row.givenNames) ? row.givenNames : (text(row.givenNames)?.split(/\s+/) ?? []);
    const sexText = text(row.sex)?.toUpperCase();
    const sex = sexText === undefined ? undefined : Object.hasOwn(SEXES, sexText) ? SEXES[sexText] : (sexText as 'M');
    const dateOfBirth = text(row.dateOfBirth);
    const nationality = text(row.nationality)?.toUpperCase();
    subjects.push({
      kind: 'person',
      surname,
      givenNames: given.map((g) => String(g).trim()).filter(Boolean),
      ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
      ...(sex !== undefined ? { sex } : {}),
      ...(nationality !== undefined ? { nationality } : {}),
    });
  }
  if (subjects.length === 0) {
    throw new InputError('The row has no document number, surname or MRZ', [{ path: 'row', message: 'needs a document number, a surname or an MRZ' }]);
  }
  return subjects;
}

/** A JSONL row: `{ id, subjects }` as checkMany takes it, or an object with manifest keys. */
export function rowOfJson(value: unknown): { row: ManifestRow; subjects?: Subject[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('The line is not a JSON object', [{ path: 'row', message: 'must be a JSON object' }]);
  }
  const row: ManifestRow = {};
  for (const [key, v] of Object.entries(value)) {
    const field = fieldOfHeader(key);
    if (field === undefined || v === null || v === undefined) continue;
    row[field] = Array.isArray(v) ? v.map(String) : String(v);
  }
  const subjects = (value as { subjects?: unknown }).subjects;
  return Array.isArray(subjects) ? { row, subjects: subjects as Subject[] } : { row };
}
