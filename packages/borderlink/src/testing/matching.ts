// The mock gateway's indexes and matching rules. Every lookup is a Map get (no scan of the dataset per query): the
// gateway is used in throughput benchmarks, so this is the hot path.
import type {
  DocumentQuery,
  DocumentRecord,
  Match,
  PersonQuery,
  PersonRecord,
  VehicleQuery,
  VehicleRecord,
} from 'borderlink';
import type { Dataset, DatasetDocument, DatasetLinkedDocument, DatasetPerson, DatasetVehicle } from './dataset';

// The records as the mock sends them: every field protocol v1 requires is there.
type FullDocument = Required<Omit<DocumentRecord, 'incidentDate' | 'incidentCountry'>> & Pick<DocumentRecord, 'incidentDate' | 'incidentCountry'>;
type FullNotice = DatasetPerson['notice'];
type FullPerson = Required<PersonRecord>;
type FullVehicle = Required<VehicleRecord>;

/** A record found for a query, before it becomes a wire hit. @internal */
export type Found =
  | { source: 'SLTD'; kind: 'document'; entry: DocumentEntry; match: Match }
  | { source: 'TDAWN'; kind: 'linked-document'; entry: LinkedEntry; match: Match }
  | { source: 'NOMINAL'; kind: 'person'; entry: PersonEntry; match: Match }
  | { source: 'SMV'; kind: 'vehicle'; entry: VehicleEntry; match: Match };

interface EntryBase {
  recordId: string;
  ownerCountry: string;
  actionToBeTaken: string | undefined;
  /** Set when the record was withdrawn: it no longer hits. */
  withdrawnAt?: string;
}
/** @internal */
export interface DocumentEntry extends EntryBase {
  document: FullDocument;
}
/** @internal */
export interface LinkedEntry extends EntryBase {
  document: FullDocument;
  notice: FullNotice;
}
/** @internal */
export interface PersonEntry extends EntryBase {
  person: FullPerson;
  notice: FullNotice;
  surnameKey: string;
  givenKey: string;
  givenSet: Set<string>;
}
/** @internal */
export interface VehicleEntry extends EntryBase {
  vehicle: FullVehicle;
}

const EXACT = (matchedFields: string[]): Match => ({ method: 'EXACT', score: 1, matchedFields });
const NORMALISED = (matchedFields: string[]): Match => ({ method: 'NORMALISED', score: 1, matchedFields });

/** Whether `v` holds A-Z and 0-9 only: what every normaliser of codes below leaves as it is. */
function isUpperAlnum(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

// Each code is looked up several times per query and nearly always comes as the client validated it (upper case, no
// spaces): that is returned as it is, without a regular expression and a new string each time.
/** Document numbers: case, spaces and MRZ filler `<` do not count. */
export const normaliseDocumentNumber = (v: string): string => (isUpperAlnum(v) ? v : v.replace(/[\s<]+/g, '').toUpperCase());
/** Plates: case, spaces and hyphens do not count. */
export const normalisePlate = (v: string): string => v.replace(/[\s-]+/g, '').toUpperCase();
/** VINs: case and spaces do not count. */
export const normaliseVin = (v: string): string => v.replace(/\s+/g, '').toUpperCase();
/**
 * Names: case, accents, hyphens, apostrophes and repeated spaces do not count. Letters of every script are kept
 * (`ЦОЙ`, `ΠΑΠΑΔΟΠΟΥΛΟΣ` match themselves): a name must never normalise to nothing and so miss its record.
 */
export function normaliseName(v: string): string {
  return v
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
}
const stateKey = (v: string): string => (isUpperAlnum(v) ? v : v.trim().toUpperCase());
const documentKey = (number: string, state: string): string => `${normaliseDocumentNumber(number)}|${stateKey(state)}`;

/** Whether two strings are at most one insertion, deletion or substitution apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) return a.slice(i + 1) === b.slice(i + 1);
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The dataset, indexed for lookups, plus the reports stored since the gateway started. @internal */
export class DatasetIndex {
  private readonly documents = new Map<string, DocumentEntry[]>();
  private readonly documentsById = new Map<string, DocumentEntry>();
  private readonly linked = new Map<string, LinkedEntry[]>();
  private readonly bySurname = new Map<string, PersonEntry[]>();
  private readonly byDateOfBirth = new Map<string, PersonEntry[]>();
  private readonly byVin = new Map<string, VehicleEntry[]>();
  private readonly byPlate = new Map<string, VehicleEntry[]>();

  constructor(dataset: Dataset) {
    for (const d of dataset.documents) this.addDocument(d);
    for (const d of dataset.linkedDocuments) this.addLinked(d);
    for (const p of dataset.persons) this.addPerson(p);
    for (const v of dataset.vehicles) this.addVehicle(v);
  }

  addDocument(d: DatasetDocument): DocumentEntry {
    const entry: DocumentEntry = {
      recordId: d.recordId,
      ownerCountry: d.ownerCountry ?? d.issuingState,
      actionToBeTaken: d.actionToBeTaken,
      document: documentRecord(d),
    };
    push(this.documents, documentKey(d.documentNumber, d.issuingState), entry);
    this.documentsById.set(d.recordId, entry);
    return entry;
  }

  /** An SLTD record by its id (withdrawn ones included). */
  documentById(recordId: string): DocumentEntry | undefined {
    return this.documentsById.get(recordId);
  }

  private addLinked(d: DatasetLinkedDocument): void {
    push(this.linked, documentKey(d.documentNumber, d.issuingState), {
      recordId: d.recordId,
      ownerCountry: d.ownerCountry ?? d.issuingState,
      actionToBeTaken: d.actionToBeTaken,
      document: documentRecord(d),
      notice: d.notice,
    });
  }

  private addPerson(p: DatasetPerson): void {
    const givenNames = p.givenNames.map(normaliseName).filter((n) => n !== '');
    const entry: PersonEntry = {
      recordId: p.recordId,
      ownerCountry: p.ownerCountry ?? p.notice.requestingCountry,
      actionToBeTaken: p.actionToBeTaken,
      person: { surname: p.surname, givenNames: p.givenNames, dateOfBirth: p.dateOfBirth, nationalities: p.nationalities },
      notice: p.notice,
      surnameKey: normaliseName(p.surname),
      givenKey: givenNames.join(' '),
      givenSet: new Set(givenNames.flatMap((n) => n.split(' '))),
    };
    push(this.bySurname, entry.surnameKey, entry);
    push(this.byDateOfBirth, p.dateOfBirth, entry);
  }

  private addVehicle(v: DatasetVehicle): void {
    const entry: VehicleEntry = {
      recordId: v.recordId,
      ownerCountry: v.ownerCountry ?? v.registrationCountry,
      actionToBeTaken: v.actionToBeTaken,
      vehicle: {
        vin: v.vin,
        plate: v.plate,
        make: v.make,
        model: v.model,
        colour: v.colour,
        theftDate: v.theftDate,
        registrationCountry: v.registrationCountry,
      },
    };
    push(this.byVin, normaliseVin(v.vin), entry);
    push(this.byPlate, `${normalisePlate(v.plate)}|${stateKey(v.registrationCountry)}`, entry);
  }

  /** SLTD: number and issuing state; EXACT when both are as stored, NORMALISED when only case, spaces or `<` differ. */
  findDocuments(q: DocumentQuery, out: Found[]): void {
    const list = this.documents.get(documentKey(q.documentNumber, q.issuingState));
    if (!list) return;
    for (const entry of list) {
      if (entry.withdrawnAt !== undefined) continue;
      out.push({ source: 'SLTD', kind: 'document', entry, match: documentMatch(q, entry.document) });
    }
  }

  /** TDAWN: same rule as SLTD. */
  findLinkedDocuments(q: DocumentQuery, out: Found[]): void {
    const list = this.linked.get(documentKey(q.documentNumber, q.issuingState));
    if (!list) return;
    for (const entry of list) out.push({ source: 'TDAWN', kind: 'linked-document', entry, match: documentMatch(q, entry.document) });
  }

  /**
   * NOMINAL. EXACT: normalised surname, given names and full date of birth all equal. FUZZY (score below 1): the date
   * of birth agrees (equal, or the query gives only its year, year and month, or none), the surname is at most one
   * edit away (equal when the query has no full date of birth), and the given names share at least one name (or the
   * query gives none).
   */
  findPersons(q: PersonQuery, out: Found[]): boolean {
    const surname = normaliseName(q.surname);
    // Nothing to search by: the caller must not read this as NO_HIT.
    if (surname === '') return false;
    const given = (q.givenNames ?? []).map(normaliseName).filter((n) => n !== '');
    const givenKey = given.join(' ');
    const givenWords = given.flatMap((n) => n.split(' '));
    const dob = q.dateOfBirth?.trim();
    const sameSurname = this.bySurname.get(surname);
    const sameBirth = dob !== undefined && dob.length === 10 ? this.byDateOfBirth.get(dob) : undefined;
    const seen = sameSurname && sameBirth ? new Set<PersonEntry>() : undefined;
    for (const list of [sameSurname, sameBirth]) {
      if (!list) continue;
      for (const entry of list) {
        if (seen) {
          if (seen.has(entry)) continue;
          seen.add(entry);
        }
        const match = personMatch(entry, surname, givenKey, givenWords, dob);
        if (match) out.push({ source: 'NOMINAL', kind: 'person', entry, match });
      }
    }
    return true;
  }

  /** SMV: VIN (EXACT, or NORMALISED for case and spaces), or plate and registration country (NORMALISED). */
  findVehicles(q: VehicleQuery, out: Found[]): void {
    const found = new Set<VehicleEntry>();
    if (q.vin !== undefined) {
      for (const entry of this.byVin.get(normaliseVin(q.vin)) ?? []) {
        found.add(entry);
        out.push({ source: 'SMV', kind: 'vehicle', entry, match: q.vin === entry.vehicle.vin ? EXACT(['vin']) : NORMALISED(['vin']) });
      }
    }
    if (q.plate !== undefined && q.registrationCountry !== undefined) {
      for (const entry of this.byPlate.get(`${normalisePlate(q.plate)}|${stateKey(q.registrationCountry)}`) ?? []) {
        if (found.has(entry)) continue;
        out.push({ source: 'SMV', kind: 'vehicle', entry, match: NORMALISED(['plate', 'registrationCountry']) });
      }
    }
  }
}

function documentRecord(d: FullDocument): FullDocument {
  return {
    documentNumber: d.documentNumber,
    issuingState: d.issuingState,
    documentType: d.documentType,
    status: d.status,
    ...(d.incidentDate !== undefined ? { incidentDate: d.incidentDate } : {}),
    ...(d.incidentCountry !== undefined ? { incidentCountry: d.incidentCountry } : {}),
  };
}

function documentMatch(q: DocumentQuery, d: FullDocument): Match {
  const fields = q.documentType === d.documentType ? ['documentNumber', 'issuingState', 'documentType'] : ['documentNumber', 'issuingState'];
  return q.documentNumber === d.documentNumber && q.issuingState === d.issuingState ? EXACT(fields) : NORMALISED(fields);
}

function personMatch(entry: PersonEntry, surname: string, givenKey: string, givenWords: string[], dob: string | undefined): Match | undefined {
  const recordDob = entry.person.dateOfBirth;
  let birth: 'same' | 'partial' | 'unknown';
  if (dob === undefined || dob === '') birth = 'unknown';
  else if (dob === recordDob) birth = 'same';
  else if (dob.length < recordDob.length && recordDob.startsWith(dob)) birth = 'partial';
  else return undefined;

  const exactSurname = surname === entry.surnameKey;
  if (!exactSurname && !withinOneEdit(surname, entry.surnameKey)) return undefined;

  let given: 'same' | 'partial';
  if (givenKey === entry.givenKey) given = 'same';
  else if (givenWords.length === 0 || givenWords.some((w) => entry.givenSet.has(w))) given = 'partial';
  else return undefined;

  const fields: string[] = [];
  if (exactSurname) fields.push('surname');
  if (given === 'same') fields.push('givenNames');
  if (birth === 'same') fields.push('dateOfBirth');
  if (exactSurname && given === 'same' && birth === 'same') return EXACT(fields);

  let score = 1;
  if (!exactSurname) score -= 0.15;
  if (given === 'partial') score -= 0.15;
  if (birth === 'partial') score -= 0.1;
  if (birth === 'unknown') score -= 0.25;
  return { method: 'FUZZY', score: Math.round(Math.min(0.95, Math.max(0.3, score)) * 100) / 100, matchedFields: fields };
}
