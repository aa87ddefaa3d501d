// The lookup keys of the offline copy: one rule, used both when a record is stored and when a query looks it up, so
// the two can never drift apart. The copy matches exactly (after the normalisation below); fuzzy matching stays
// online. A store keeps these keys only as keyed hashes.
import type { Match, PersonQuery, Source, Subject } from '../queries/types';
import { isCalendarDate } from '../queries/validate';
import type { OfflineRecord } from './types';
import { languageOfState, nameSpellings } from '../names/variants';

/** Document numbers: case, spaces and the MRZ filler `<` do not count. */
const documentNumber = (v: string): string => v.replace(/[\s<]+/g, '').toUpperCase();
/** State codes: case and surrounding spaces do not count. */
const state = (v: string): string => v.trim().toUpperCase();
/** VINs: case and spaces do not count. */
const vin = (v: string): string => v.replace(/\s+/g, '').toUpperCase();
/** Plates: case, spaces and hyphens do not count. */
const plate = (v: string): string => v.replace(/[\s-]+/g, '').toUpperCase();
/**
 * Names: case, accents, hyphens, apostrophes and repeated spaces do not count. Letters of every script are kept, so a
 * name never normalises to nothing.
 */
function name(v: string): string {
  return v
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
}
/** A full date of birth; a partial one (`1974`, `1974-08`) cannot be matched exactly. */
const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A record's date of birth as its keys hold it: a full date as it is; `''` for any other (a year, a year and month,
 * none, or one no calendar has). A record of a partial date must still be found by every full date it fits, and one
 * whose date cannot be read by every date: the key of `''` is looked up beside each full date, and what it finds is
 * compared with the query's date after (see {@link offlineMatchOf}).
 */
function recordBirthKey(dateOfBirth: string | undefined): string {
  return dateOfBirth !== undefined && FULL_DATE.test(dateOfBirth) && isCalendarDate(dateOfBirth) ? dateOfBirth : '';
}

/** What a record's date of birth says of a full date: it is that date, it fits it (partial, unknown), or neither. */
function birthFits(recordDate: string | undefined, full: string): 'same' | 'fits' | undefined {
  if (recordDate === full) return 'same';
  // A date that is not a calendar's (a year alone before 1800 is one) says nothing: it fits every date.
  if (recordDate === undefined || !isCalendarDate(recordDate)) return 'fits';
  return recordDate.length < full.length && full.startsWith(recordDate) ? 'fits' : undefined;
}

// Each key starts with what it is keyed on, and its parts are joined by a character no normalised part contains.
const documentKey = (number: string, issuingState: string): string => `doc\u0000${state(issuingState)}\u0000${documentNumber(number)}`;
const vinKey = (v: string): string => `vin\u0000${vin(v)}`;
const plateKey = (country: string, p: string): string => `plate\u0000${state(country)}\u0000${plate(p)}`;
const personKey = (surname: string, givenNames: readonly string[], dateOfBirth: string): string =>
  `person\u0000${name(surname)}\u0000${givenNames.map(name).filter((g) => g !== '').join(' ')}\u0000${dateOfBirth}`;

/**
 * The keys a record is found by in an offline copy: what an {@link OfflineStore} indexes it by (as keyed hashes). A
 * record without the fields of a key has none of it; a person has one per spelling of its name (its date of birth in
 * it when it is a full one, else a key that each full date of a query looks up too). Implement a store with this and {@link offlineKeysOfSubject},
 * so records and queries are normalised by the same rule.
 * @example
 * ```ts
 * offlineKeysOf({ source: 'SMV', recordId: 'SMV-1', ownerCountry: 'D', vehicle: { vin: 'WVWZZZ1JZXW000001' } }); // one key
 * ```
 */
export function offlineKeysOf(record: OfflineRecord): string[] {
  switch (record.source) {
    case 'SLTD':
    case 'TDAWN': {
      const { documentNumber: n, issuingState: s } = record.document;
      return n && s ? [documentKey(n, s)] : [];
    }
    case 'NOMINAL': {
      const { surname, givenNames, dateOfBirth, nationalities } = record.person;
      if (!surname || name(surname) === '') return [];
      const birth = recordBirthKey(dateOfBirth);
      // The record's own name, then every other spelling it may be found by, as a gateway matches them: the
      // spellings of nameVariants, its first nationality choosing the Cyrillic language.
      const keys = [personKey(surname, givenNames ?? [], birth)];
      const { primary, others } = nameSpellings({ surname, givenNames: givenNames ?? [] }, languageOfState(nationalities?.[0]));
      for (const v of [primary, ...others]) {
        if (name(v.surname) === '') continue;
        const key = personKey(v.surname, v.givenNames, birth);
        if (!keys.includes(key)) keys.push(key);
      }
      return keys;
    }
    case 'SMV': {
      const keys: string[] = [];
      const { vin: v, plate: p, registrationCountry: c } = record.vehicle;
      if (v) keys.push(vinKey(v));
      if (p && c) keys.push(plateKey(c, p));
      return keys;
    }
  }
}

/**
 * A person's keys, when the copy can answer for them (a full date of birth, a name with a letter): for its names and
 * for each of its `nameVariants`, so the copy finds a record under any spelling the gateway would search (a subject
 * goes out with its ICAO form, and the name as written among its variants), the key of that date and the key of the
 * records whose date is not a full one. A partial date of birth has none: every record of its year would have to be
 * read, and the copy cannot say NO_HIT for it.
 */
function personKeysOf(p: PersonQuery): string[] {
  const dateOfBirth = p.dateOfBirth;
  if (dateOfBirth === undefined || !FULL_DATE.test(dateOfBirth)) return [];
  const keys: string[] = [];
  const add = (surname: string, givenNames: readonly string[]): void => {
    if (name(surname) === '') return;
    for (const birth of [dateOfBirth, '']) {
      const key = personKey(surname, givenNames, birth);
      if (!keys.includes(key)) keys.push(key);
    }
  };
  add(p.surname, p.givenNames ?? []);
  for (const v of p.nameVariants ?? []) add(v.surname, v.givenNames);
  return keys;
}

/**
 * The keys a subject is looked up by in one source's copy: empty when the copy cannot answer for it (a person without
 * a full date of birth, a subject the source does not search), so the source must not read `NO_HIT` from the copy on
 * its account. A document's holder is looked up in NOMINAL, as the gateway searches it there.
 */
export function offlineKeysOfSubject(subject: Subject, source: Source): string[] {
  switch (subject.kind) {
    case 'document':
      if (source === 'SLTD' || source === 'TDAWN') return [documentKey(subject.documentNumber, subject.issuingState)];
      return source === 'NOMINAL' && subject.holder !== undefined ? personKeysOf(subject.holder) : [];
    case 'person':
      return source === 'NOMINAL' ? personKeysOf(subject) : [];
    case 'vehicle': {
      if (source !== 'SMV') return [];
      const keys: string[] = [];
      if (subject.vin !== undefined) keys.push(vinKey(subject.vin));
      if (subject.plate !== undefined && subject.registrationCountry !== undefined) keys.push(plateKey(subject.registrationCountry, subject.plate));
      return keys;
    }
  }
}

const KEY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  doc: ['documentNumber', 'issuingState'],
  vin: ['vin'],
  plate: ['plate', 'registrationCountry'],
  person: ['surname', 'givenNames', 'dateOfBirth'],
};

/** The date of birth a person's subject is searched with (its own, or its holder's). */
function subjectBirth(subject: Subject): string | undefined {
  if (subject.kind === 'person') return subject.dateOfBirth;
  return subject.kind === 'document' ? subject.holder?.dateOfBirth : undefined;
}

/**
 * How a record the copy found by `key` for `subject` matches it: `EXACT` on the fields the key is made of; for a
 * person found by the key of records without a full date of birth, `FUZZY` on the names (their date fits the query's:
 * a lead for a person to compare, as a gateway answers it), or undefined when their date does not fit it. @internal
 */
export function offlineMatchOf(key: string, record: OfflineRecord, subject: Subject): Match | undefined {
  const kind = key.slice(0, key.indexOf('\u0000'));
  if (kind !== 'person' || !key.endsWith('\u0000')) return { method: 'EXACT', score: 1, matchedFields: [...(KEY_FIELDS[kind] ?? [])] };
  const query = subjectBirth(subject);
  const fits = record.source === 'NOMINAL' && query !== undefined ? birthFits(record.person.dateOfBirth, query) : undefined;
  if (fits === undefined) return undefined;
  // The record's date is partial, unknown, or not a calendar's: the names match, the date only fits.
  const known = record.source === 'NOMINAL' && record.person.dateOfBirth !== undefined && isCalendarDate(record.person.dateOfBirth);
  return { method: 'FUZZY', score: known ? 0.9 : 0.75, matchedFields: ['surname', 'givenNames'] };
}
