// The lookup keys of the offline copy: one rule, used both when a record is stored and when a query looks it up, so
// the two can never drift apart. The copy matches exactly (after the normalisation below); fuzzy matching stays
// online. A store keeps these keys only as keyed hashes.
import type { PersonQuery, Source, Subject } from '../queries/types';
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

// Each key starts with what it is keyed on, and its parts are joined by a character no normalised part contains.
const documentKey = (number: string, issuingState: string): string => `doc\u0000${state(issuingState)}\u0000${documentNumber(number)}`;
const vinKey = (v: string): string => `vin\u0000${vin(v)}`;
const plateKey = (country: string, p: string): string => `plate\u0000${state(country)}\u0000${plate(p)}`;
const personKey = (surname: string, givenNames: readonly string[], dateOfBirth: string): string =>
  `person\u0000${name(surname)}\u0000${givenNames.map(name).filter((g) => g !== '').join(' ')}\u0000${dateOfBirth}`;

/**
 * The keys a record is found by in an offline copy: what an {@link OfflineStore} indexes it by (as keyed hashes). A
 * record without the fields of a key has none of it. Implement a store with this and {@link offlineKeysOfSubject},
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
      if (!surname || !dateOfBirth || !FULL_DATE.test(dateOfBirth) || name(surname) === '') return [];
      // The record's own name, then every other spelling it may be found by, as a gateway matches them: the
      // spellings of nameVariants, its first nationality choosing the Cyrillic language.
      const keys = [personKey(surname, givenNames ?? [], dateOfBirth)];
      const { primary, others } = nameSpellings({ surname, givenNames: givenNames ?? [] }, languageOfState(nationalities?.[0]));
      for (const v of [primary, ...others]) {
        if (name(v.surname) === '') continue;
        const key = personKey(v.surname, v.givenNames, dateOfBirth);
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
 * A person's keys, when the copy can match them exactly (a full date of birth, a name with a letter): one for its
 * names and one for each of its `nameVariants`, so the copy finds a record under any spelling the gateway would
 * search (a subject goes out with its ICAO form, and the name as written among its variants).
 */
function personKeysOf(p: PersonQuery): string[] {
  const dateOfBirth = p.dateOfBirth;
  if (dateOfBirth === undefined || !FULL_DATE.test(dateOfBirth)) return [];
  const keys: string[] = [];
  const add = (surname: string, givenNames: readonly string[]): void => {
    if (name(surname) === '') return;
    const key = personKey(surname, givenNames, dateOfBirth);
    if (!keys.includes(key)) keys.push(key);
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

/** The query fields a key of {@link offlineKeysOfSubject} is made of: a hit's `match.matchedFields`. @internal */
export function fieldsOfOfflineKey(key: string): string[] {
  return [...(KEY_FIELDS[key.slice(0, key.indexOf('\u0000'))] ?? [])];
}
