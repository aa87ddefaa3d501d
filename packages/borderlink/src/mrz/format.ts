// formatMrz: the layout table walked the other way. Errors name the field, never its value.
// The name tables' own files, not their index: the MRZ engine loads no zod.
import type { CyrillicLanguage } from '../names/cyrillic';
import { spell } from '../names/spell';
import { languageOfState } from '../names/variants';
import { computeCheckDigit } from './check-digit';
import { isoToMrzDate } from './dates';
import { LAYOUTS } from './layouts';
import type { CompiledLayout } from './layouts';
import { STATE_CODES } from './state-codes';
import { ICAO_MRZ_FORMATS, type FormatMrzInput, type MrzFieldName, type Sex } from './types';

const SEX_CODES: Readonly<Record<Sex, string>> = { M: 'M', F: 'F', X: 'X', UNSPECIFIED: '<' };

function fail(field: string, reason: string): never {
  throw new RangeError(`formatMrz: ${field} ${reason}`);
}

/**
 * Writes a name component with the ICAO tables (names/): upper case, Ä → AE and the other rows, Cyrillic, Arabic and
 * Greek by their tables, spaces and hyphens → `<`, apostrophes dropped. `language` is the issuing state's, for the
 * Cyrillic table's exceptions (an issuer prints its own).
 */
function transliterate(name: string, field: string, language: CyrillicLanguage | undefined): string {
  const form = spell(name, language === undefined ? undefined : { language });
  if (form === undefined) fail(field, 'contains a character with no ICAO transliteration');
  return form.replace(/[ -]/g, '<');
}

/** Fits primary and secondary identifiers into `length`, truncating secondary components first (Doc 9303 Part 3, 4.6). */
function nameField(surname: string, givenNames: readonly string[], length: number, language: CyrillicLanguage | undefined): string {
  const primary = transliterate(surname, 'surname', language);
  if (!givenNames.every((name) => typeof name === 'string')) fail('givenNames', 'must be an array of strings');
  const given = givenNames.map((name) => transliterate(name, 'givenNames', language)).filter((name) => name.length > 0);
  if (primary.length === 0 && given.length === 0) fail('surname', 'and givenNames are both empty');
  const join = (): string => (given.length === 0 ? primary : `${primary}<<${given.join('<')}`);
  let text = join();
  for (let i = given.length - 1; text.length > length && i >= 0; i--) {
    const component = given[i] as string;
    const excess = text.length - length;
    given[i] = component.slice(0, Math.max(1, component.length - excess));
    text = join();
  }
  if (text.length > length) text = text.slice(0, length);
  return text.padEnd(length, '<');
}

function code(value: unknown, field: string, pattern: RegExp, max: number): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  const upper = value.toUpperCase();
  if (upper.length === 0 || upper.length > max || !pattern.test(upper)) fail(field, `must be 1-${max} characters of ${pattern.source}`);
  return upper;
}

function state(value: unknown, field: string): string {
  const upper = code(value, field, /^[A-Z]+$/, 3);
  if (!STATE_CODES.has(upper)) fail(field, 'is not a known state code');
  return upper;
}

function date(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be an ISO date string');
  const mrz = isoToMrzDate(value);
  if (mrz === null) fail(field, 'must be YYYY-MM-DD, YYYY-MM or YYYY and a calendar date');
  return mrz;
}

const INPUT_KEYS: ReadonlySet<string> = new Set([
  'format', 'documentCode', 'issuingState', 'documentNumber', 'surname', 'givenNames', 'nationality', 'birthDate',
  'sex', 'expiryDate', 'personalNumber', 'optionalData',
]);

/**
 * Writes the MRZ lines of a document, check digits included.
 *
 * @throws RangeError naming the field (never its value) when a field does not fit the format.
 * @example
 * formatMrz({
 *   format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3',
 *   surname: 'Eriksson', givenNames: ['Anna', 'María'], nationality: 'UTO',
 *   birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15', personalNumber: 'ZE184226B',
 * })
 * // ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']
 */
export function formatMrz(fields: FormatMrzInput): string[] {
  if (typeof fields !== 'object' || fields === null) fail('input', 'must be an object');
  // An unknown key is not repeated: it may be data (a document number given as a key).
  for (const key of Object.keys(fields)) if (!INPUT_KEYS.has(key)) throw new RangeError('formatMrz: a field is not one formatMrz knows');
  const layout: CompiledLayout | undefined = Object.hasOwn(LAYOUTS, fields.format)
    ? LAYOUTS[fields.format]
    : undefined;
  if (layout === undefined) fail('format', `must be one of ${ICAO_MRZ_FORMATS.join(', ')}`);

  const values: Partial<Record<MrzFieldName, string>> = {};
  const documentCode = code(fields.documentCode, 'documentCode', /^[A-Z][A-Z<]?$/, 2);
  if (!layout.codeFirst.includes(documentCode.charAt(0))) fail('documentCode', `must start with one of ${layout.codeFirst}`);
  if (layout.codeFirst !== 'P' && layout.codeFirst !== 'V' && documentCode.charAt(1) === 'V') {
    fail('documentCode', 'may not have V as second character on this format');
  }
  values.documentCode = documentCode;
  values.issuingState = state(fields.issuingState, 'issuingState');
  values.nationality = state(fields.nationality, 'nationality');
  values.birthDate = date(fields.birthDate, 'birthDate');
  values.expiryDate = date(fields.expiryDate, 'expiryDate');
  const sex = Object.hasOwn(SEX_CODES, fields.sex) ? SEX_CODES[fields.sex] : undefined;
  if (sex === undefined) fail('sex', 'must be M, F, X or UNSPECIFIED');
  values.sex = sex;
  if (!Array.isArray(fields.givenNames)) fail('givenNames', 'must be an array of strings');
  if (typeof fields.surname !== 'string') fail('surname', 'must be a string');
  const namesLength = layout.byName.names?.length ?? 0;
  values.names = nameField(fields.surname, fields.givenNames, namesLength, languageOfState(values.issuingState));

  const documentNumber = code(fields.documentNumber, 'documentNumber', /^[A-Z0-9<]+$/, 22);
  const overflow = layout.overflowInto;
  let overflowPrefix = '';
  if (documentNumber.length > 9) {
    if (overflow === null) fail('documentNumber', 'must be at most 9 characters on this format');
    const rest = documentNumber.slice(9);
    overflowPrefix = `${rest}${computeCheckDigit(documentNumber)}<`;
    if (overflowPrefix.length > overflow.length) fail('documentNumber', 'is too long for the overflow of this format');
  }
  values.documentNumber = documentNumber.slice(0, 9);

  const personal = fields.personalNumber ?? '';
  if (personal !== '') {
    if (layout.byName.personalNumber === undefined) fail('personalNumber', 'is only part of TD3');
    values.personalNumber = code(personal, 'personalNumber', /^[A-Z0-9<]+$/, layout.byName.personalNumber.length);
  }
  const optional = fields.optionalData ?? [];
  if (!Array.isArray(optional)) fail('optionalData', 'must be an array of strings');
  const optionalFields = (['optionalData1', 'optionalData2'] as const).filter((name) => layout.byName[name] !== undefined);
  if (optional.length > optionalFields.length) fail('optionalData', `takes at most ${optionalFields.length} entries on this format`);
  optionalFields.forEach((name, index) => {
    const part = optional[index] ?? '';
    const value = part === '' ? '' : code(part, 'optionalData', /^[A-Z0-9<]+$/, 44);
    const full = overflow?.field === name ? overflowPrefix + value : value;
    if (full.length > (layout.byName[name]?.length ?? 0)) fail('optionalData', 'is too long for this format');
    values[name] = full;
  });
  if (overflowPrefix !== '' && overflow !== null && values[overflow.field] === undefined) values[overflow.field] = overflowPrefix;

  const chars: string[] = new Array<string>(layout.lines * layout.length).fill('<');
  for (const field of layout.fields) {
    const value = values[field.field];
    if (value === undefined || field.isDigit) continue;
    for (let i = 0; i < value.length && i < field.length; i++) chars[field.offset + i] = value[i] as string;
  }
  if (overflowPrefix !== '') {
    const digitField = layout.byName.documentNumberCheckDigit;
    if (digitField !== undefined) chars[digitField.offset] = '<';
  }
  for (const check of layout.checks) {
    if (check.name === 'documentNumber' && overflowPrefix !== '') continue;
    const covered = Array.from(check.covered, (offset) => chars[offset] as string).join('');
    const empty = check.name === 'personalNumber' && /^<*$/.test(covered);
    chars[check.digitOffset] = empty ? '<' : String(computeCheckDigit(covered));
  }
  const lines: string[] = [];
  for (let l = 0; l < layout.lines; l++) lines.push(chars.slice(l * layout.length, (l + 1) * layout.length).join(''));
  return lines;
}
