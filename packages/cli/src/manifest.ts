// Reading manifests: an RFC 4180 CSV record parser fed one physical line at a time (so input is streamed), and the
// mapping from a manifest's columns to the subjects of a check.
import { InputError } from 'borderlink';
import { parseMrz } from 'borderlink';
import { subjectsFromMrz } from 'borderlink';
import { hasNameLetter } from 'borderlink';
import type { Subject } from 'borderlink';
import { UsageError } from './args';
import { DOCUMENT_TYPE_CHOICES, documentTypeOf } from './document-type';
import { MAX_LINE_BYTES, OVER_LONG } from './lines';
import { stripUnsafe } from './output';

/** The characters a CSV manifest's fields may be split by: `,` (RFC 4180), and the `;`, tab and `|` of exports. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/** One of {@link CSV_DELIMITERS}. */
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** How the delimiters are named in messages and `--delimiter`: a tab by its name. */
export const DELIMITER_NAMES = CSV_DELIMITERS.map((d) => (d === '\t' ? 'tab' : d)).join(' ');

/**
 * The delimiter of a CSV header line: the one candidate of {@link CSV_DELIMITERS} found outside double quotes; a
 * comma when none is (a header of one column); undefined when more than one is, so the caller asks which. A header
 * names columns, and column names hold none of these, so one kind of separator is all a header has.
 */
export function delimiterOfHeader(line: string): CsvDelimiter | undefined {
  const found = new Set<CsvDelimiter>();
  let quoted = false;
  for (const ch of line) {
    // A doubled quote inside a quoted field toggles twice: it stays inside.
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (CSV_DELIMITERS as readonly string[]).includes(ch)) found.add(ch as CsvDelimiter);
  }
  if (found.size > 1) return undefined;
  return found.values().next().value ?? ',';
}

/**
 * RFC 4180 records from physical lines: fields split by the delimiter (a comma unless told), a field in double
 * quotes may hold the delimiter, line breaks and doubled quotes (`""`). Lenient where RFC 4180 is silent: a quote
 * inside an unquoted field is kept as is.
 * A line can be fed in pieces ({@link feed}, then {@link endLine}); a record longer than `maxBytes` is
 * {@link OVER_LONG}: its text is dropped as it comes, while its quotes are still followed, so the records after it
 * are read as they were written.
 */
export class CsvRecordParser {
  #fields: string[] = [];
  #field = '';
  #fieldLength = 0;
  #inQuotes = false;
  #quoted = false;
  // A quote inside a quoted field, not yet known to be a closing one or the first of a doubled pair.
  #quoteSeen = false;
  #bytes = 0;
  #overLong = false;

  constructor(
    readonly maxBytes: number = MAX_LINE_BYTES,
    readonly delimiter: CsvDelimiter = ',',
  ) {}

  #append(ch: string): void {
    this.#fieldLength++;
    if (!this.#overLong) this.#field += ch;
  }

  /** Feeds part of a line (no line break in it); `bytes` is its UTF-8 length, for the bound. */
  feed(text: string, bytes: number = Buffer.byteLength(text)): void {
    this.#bytes += bytes;
    if (this.#bytes > this.maxBytes && !this.#overLong) {
      this.#overLong = true;
      this.#fields = [];
      this.#field = '';
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.#quoteSeen) {
        this.#quoteSeen = false;
        if (ch === '"') {
          this.#append('"');
          continue;
        }
        this.#inQuotes = false;
      }
      if (this.#inQuotes) {
        if (ch === '"') this.#quoteSeen = true;
        else this.#append(ch);
      } else if (ch === this.delimiter) {
        if (!this.#overLong) this.#fields.push(this.#field);
        this.#field = '';
        this.#fieldLength = 0;
        this.#quoted = false;
      } else if (ch === '"' && this.#fieldLength === 0 && !this.#quoted) {
        this.#inQuotes = true;
        this.#quoted = true;
      } else {
        this.#append(ch);
      }
    }
  }

  /**
   * Ends the physical line: returns the record once it is complete (a quoted field may go on to the next line), or
   * {@link OVER_LONG} for a record longer than `maxBytes`.
   */
  endLine(): string[] | typeof OVER_LONG | undefined {
    if (this.#quoteSeen) {
      this.#quoteSeen = false;
      this.#inQuotes = false;
    }
    if (this.#inQuotes) {
      this.#append('\n');
      this.#bytes += 1;
      return undefined;
    }
    const record = this.#overLong ? OVER_LONG : [...this.#fields, this.#field];
    this.#fields = [];
    this.#field = '';
    this.#fieldLength = 0;
    this.#quoted = false;
    this.#bytes = 0;
    this.#overLong = false;
    return record;
  }

  /** Feeds one whole line without its line break: {@link feed} then {@link endLine}. */
  line(text: string): string[] | typeof OVER_LONG | undefined {
    this.feed(text);
    return this.endLine();
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

/** The canonical name of each field, as a JSONL key and in messages; the first spelling of each. */
export const MANIFEST_FIELDS: readonly ManifestField[] = [
  'id',
  'documentNumber',
  'issuingState',
  'documentType',
  'surname',
  'givenNames',
  'dateOfBirth',
  'nationality',
  'sex',
  'mrz',
];

/**
 * Header spellings of each field, compared by {@link headerKey} (lower case; spaces, `_`, `-`, `.`, `#`, `/` and
 * brackets removed). A column that none names is refused, never dropped: a document-number column under a
 * spelling this table missed would otherwise leave every document unchecked and the manifest looking clean.
 */
const SPELLINGS: Readonly<Record<ManifestField, readonly string[]>> = {
  id: ['id', 'rowid'],
  documentNumber: [
    'documentnumber', 'documentno', 'documentnum', 'document', 'docnumber', 'docno', 'docnum', 'doc',
    'passportnumber', 'passportno', 'passportnum', 'passport',
    'traveldocumentnumber', 'traveldocumentno', 'traveldocument', 'traveldocnumber', 'traveldocno',
    'idcardnumber', 'idcardno',
  ],
  issuingState: [
    'issuingstate', 'issuingcountry', 'issuer', 'issuingnation', 'issuestate', 'issuecountry',
    'stateofissue', 'countryofissue', 'countryofissuance', 'documentissuingstate', 'documentissuingcountry',
    'passportissuingcountry', 'passportissuingstate',
  ],
  documentType: ['documenttype', 'doctype', 'type', 'traveldocumenttype', 'documentkind', 'doccode', 'documentcode'],
  surname: ['surname', 'surnames', 'lastname', 'familyname', 'primaryidentifier'],
  givenNames: [
    'givennames', 'givenname', 'firstname', 'firstnames', 'forename', 'forenames', 'secondaryidentifier',
  ],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'birthday', 'borndate'],
  nationality: ['nationality', 'citizenship', 'nationalitycode', 'citizenshipcountry', 'countryofcitizenship'],
  sex: ['sex', 'gender'],
  mrz: ['mrz', 'machinereadablezone', 'mrzlines'],
};

const FIELD_OF_KEY: ReadonlyMap<string, ManifestField> = new Map(
  MANIFEST_FIELDS.flatMap((field) => SPELLINGS[field].map((spelling) => [spelling, field] as const)),
);

/** How headers, JSONL keys and `--ignore-column` names are compared. */
export function headerKey(header: string): string {
  return header.trim().toLowerCase().replace(/[\s_.\-#/()[\]]/g, '');
}

/** The field a header names, or undefined for a column the screen does not know. */
export function fieldOfHeader(header: string): ManifestField | undefined {
  return FIELD_OF_KEY.get(headerKey(header));
}

/** How a column is named in a message: a header could hold anything, so without control characters and bounded. */
export function shownColumn(header: string): string {
  const text = stripUnsafe(header).trim().replace(/"/g, "'");
  if (text === '') return '(no name)';
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

const KNOWN_NAMES = `${MANIFEST_FIELDS.join(', ')} (and their common spellings: see borderlink help screen)`;

/**
 * The field of each column of a CSV header, `undefined` for a column `ignored` names (compared by
 * {@link headerKey}). A UsageError when a column is neither known nor ignored (naming it and the known names), when
 * two columns name the same field, or when none names a field to check (then nothing is quoted: such a "header" is
 * likely the first row of a file without one).
 */
export function columnsOfHeader(header: readonly string[], ignored: ReadonlySet<string>): (ManifestField | undefined)[] {
  const columns = header.map((name) => (ignored.has(headerKey(name)) ? undefined : fieldOfHeader(name)));
  if (!columns.some((c) => c !== undefined && c !== 'id')) {
    throw new UsageError(`the CSV header names no known column (known: ${KNOWN_NAMES}; see --help)`);
  }
  const unknown = header.flatMap((name, i) => (columns[i] === undefined && !ignored.has(headerKey(name)) ? [`column ${i + 1} ${shownColumn(name)}`] : []));
  if (unknown.length > 0) {
    const shown = unknown.length > 5 ? [...unknown.slice(0, 5), `and ${unknown.length - 5} more`] : unknown;
    throw new UsageError(
      `the manifest has ${unknown.length === 1 ? 'a column' : 'columns'} the screen does not know: ${shown.join(', ')}; ` +
        `known: ${KNOWN_NAMES}; to leave a column out, give --ignore-column NAME`,
    );
  }
  const first = new Map<ManifestField, number>();
  columns.forEach((field, i) => {
    if (field === undefined) return;
    const earlier = first.get(field);
    if (earlier !== undefined) {
      throw new UsageError(`columns ${earlier + 1} and ${i + 1} both name ${field}: leave one out with --ignore-column NAME`);
    }
    first.set(field, i);
  });
  return columns;
}

export type ManifestRow = Partial<Record<ManifestField, string | string[]>>;

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
  // Every column that names something is checked: an MRZ beside a document number or a name does not hide them (a
  // stolen passport's number in its column must not be cleared by the MRZ of another document).
  const mrz = text(row.mrz);
  const fromMrz = mrz === undefined ? [] : subjectsFromMrz(parseMrz(mrz.split(/\r?\n|\\n|\|/)));
  const mrzState = fromMrz.find((s) => s.kind === 'document')?.issuingState;
  const subjects: Subject[] = [...fromMrz];
  const documentNumber = text(row.documentNumber);
  if (documentNumber !== undefined) {
    const typeText = text(row.documentType);
    const documentType = typeText === undefined ? 'PASSPORT' : documentTypeOf(typeText);
    if (documentType === undefined) {
      throw new InputError(`The row's documentType must be ${DOCUMENT_TYPE_CHOICES}`, [{ path: 'documentType', message: `must be ${DOCUMENT_TYPE_CHOICES}` }]);
    }
    const issuingState = text(row.issuingState)?.toUpperCase() ?? mrzState ?? '';
    subjects.push({ kind: 'document', documentNumber, issuingState, documentType });
  }
  // `-`, `.` or `'` in a surname column is a placeholder for "unknown": no person to search, but the row's document
  // is still checked (a placeholder must never turn a stolen passport's row into an input error).
  const surnameText = text(row.surname);
  const surname = surnameText !== undefined && hasNameLetter(surnameText) ? surnameText : undefined;
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

/** A JSONL row as read: its fields, its `subjects` when given, and the keys that are neither known nor ignored. */
export interface JsonRow {
  row: ManifestRow;
  subjects?: Subject[];
  /** Keys no field has; the row must not be screened without them. */
  unknownKeys: string[];
  /** The fields the row's keys name, a null value included. */
  fields: ReadonlySet<ManifestField>;
}

/**
 * A JSONL row: `{ id, subjects }` as checkMany takes it, or an object with manifest keys. Keys `ignored` names are
 * left out; two keys for one field (`passport` and `documentNumber`), or a manifest field beside `subjects`, are an
 * InputError naming the field.
 */
export function rowOfJson(value: unknown, ignored: ReadonlySet<string> = new Set()): JsonRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('The line is not a JSON object', [{ path: 'row', message: 'must be a JSON object' }]);
  }
  const row: ManifestRow = {};
  const unknownKeys: string[] = [];
  const seen = new Set<ManifestField>();
  for (const [key, v] of Object.entries(value)) {
    if (key === 'subjects' || ignored.has(headerKey(key))) continue;
    const field = fieldOfHeader(key);
    if (field === undefined) {
      unknownKeys.push(key);
      continue;
    }
    if (seen.has(field)) throw new InputError('Two keys of the row name one field', [{ path: field, message: 'is given by two keys' }]);
    seen.add(field);
    if (v === null || v === undefined) continue;
    row[field] = Array.isArray(v) ? v.map(String) : String(v);
  }
  const subjects = (value as { subjects?: unknown }).subjects;
  if (!Array.isArray(subjects)) return { row, unknownKeys, fields: seen };
  // Beside `subjects`, a document number or a name would not be checked: refused rather than dropped.
  if ([...seen].some((field) => field !== 'id')) {
    throw new InputError('A row with subjects takes no other field than id', [{ path: 'subjects', message: 'goes with id only' }]);
  }
  return { row, subjects: subjects as Subject[], unknownKeys, fields: seen };
}
