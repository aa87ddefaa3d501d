// The mock gateway's records as they are now, indexed, with the sequence of their changes. Every lookup is a Map get
// (no scan of the dataset per query): the gateway is used in throughput benchmarks, so this is the hot path. Every
// change (a record added, replaced, removed or withdrawn) goes through this one class, which gives it the next
// sequence number: a check sees it at once, and the next snapshot delta carries it (snapshots.ts).
import {
  SOURCES,
  type DocumentQuery,
  type DocumentRecord,
  type Match,
  type Notice,
  type PersonQuery,
  type PersonRecord,
  type Source,
  type VehicleQuery,
  type VehicleRecord,
} from 'borderlink';
import type { Dataset, DatasetDocument, DatasetLinkedDocument, DatasetPerson, DatasetRecord, DatasetVehicle } from './dataset';

// The records as the mock sends them: every field protocol v1 requires is there.
type FullDocument = Required<Omit<DocumentRecord, 'incidentDate' | 'incidentCountry'>> & Pick<DocumentRecord, 'incidentDate' | 'incidentCountry'>;
type FullNotice = Required<Omit<Notice, 'charges'>> & Pick<Notice, 'charges'>;
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
  /** Set when the record was withdrawn: it no longer hits, and snapshots no longer hold it. */
  withdrawnAt?: string;
  /** The sequence number of its last change. */
  seq: number;
}
/** @internal */
export interface DocumentEntry extends EntryBase {
  document: FullDocument;
  /** The record as the dataset (or a report) gave it: what its full record is made from. */
  origin: DatasetDocument;
}
/** @internal */
export interface LinkedEntry extends EntryBase {
  document: FullDocument;
  notice: FullNotice;
  origin: DatasetLinkedDocument;
}
/** @internal */
export interface PersonEntry extends EntryBase {
  person: FullPerson;
  notice: FullNotice;
  origin: DatasetPerson;
  surnameKey: string;
  givenKey: string;
  givenSet: Set<string>;
}
/** @internal */
export interface VehicleEntry extends EntryBase {
  vehicle: FullVehicle;
  origin: DatasetVehicle;
}
/** Any record, by source. @internal */
export type Entry =
  | ({ source: 'SLTD' } & DocumentEntry)
  | ({ source: 'TDAWN' } & LinkedEntry)
  | ({ source: 'NOMINAL' } & PersonEntry)
  | ({ source: 'SMV' } & VehicleEntry);

/** The records of a source a snapshot holds: all of them, or what changed after a sequence number. @internal */
export interface SnapshotRecords {
  /** The last sequence number they include. */
  upTo: number;
  /** Records of the source held at `upTo`. */
  recordCount: number;
  /** Each changed record once, in the order of their last change: its entry, or its id when it is gone. */
  changes: (Entry | string)[];
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
const plateKey = (plate: string, country: string): string => `${normalisePlate(plate)}|${stateKey(country)}`;

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

function pull<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const at = list.indexOf(value);
  if (at !== -1) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

/** A dataset record with its source beside it, not in it (the dataset's lists are not copied). */
type Tagged =
  | { source: 'SLTD'; record: DatasetDocument }
  | { source: 'TDAWN'; record: DatasetLinkedDocument }
  | { source: 'NOMINAL'; record: DatasetPerson }
  | { source: 'SMV'; record: DatasetVehicle };

const tagged = (record: DatasetRecord): Tagged => ({ source: record.source, record }) as Tagged;

const perSource = <T>(make: () => T): Record<Source, T> => Object.fromEntries(SOURCES.map((s) => [s, make()])) as Record<Source, T>;

/** The dataset, indexed for lookups, with every change since the gateway started. @internal */
export class DatasetIndex {
  private readonly documents = new Map<string, DocumentEntry[]>();
  private readonly linked = new Map<string, LinkedEntry[]>();
  private readonly bySurname = new Map<string, PersonEntry[]>();
  private readonly byDateOfBirth = new Map<string, PersonEntry[]>();
  private readonly byVin = new Map<string, VehicleEntry[]>();
  private readonly byPlate = new Map<string, VehicleEntry[]>();
  /** Every record by source and id, withdrawn ones included (a withdrawal is answered again for them). */
  private readonly ids = perSource(() => new Map<string, Entry>());
  /** Records removed, by source: id → the sequence number of the removal. */
  private readonly removed = perSource(() => new Map<string, number>());
  /** Records held (not withdrawn), by source. */
  private readonly held = perSource(() => 0);
  private readonly asOf: Record<Source, string>;
  private seq = 0;

  constructor(dataset: Dataset) {
    const startedAt = new Date().toISOString();
    this.asOf = perSource(() => startedAt);
    for (const s of SOURCES) this.asOf[s] = typeof dataset.dataAsOf === 'string' ? dataset.dataAsOf : (dataset.dataAsOf?.[s] ?? startedAt);
    for (const d of dataset.documents) this.add({ source: 'SLTD', record: d });
    for (const d of dataset.linkedDocuments) this.add({ source: 'TDAWN', record: d });
    for (const p of dataset.persons) this.add({ source: 'NOMINAL', record: p });
    for (const v of dataset.vehicles) this.add({ source: 'SMV', record: v });
  }

  /** The last sequence number given. */
  get sequence(): number {
    return this.seq;
  }

  /** When `source`'s data was last updated: the dataset's time, or its last change since. */
  dataAsOf(source: Source): string {
    return this.asOf[source];
  }

  /** The source that holds a record with this id, if any (withdrawn ones included). */
  sourceOf(recordId: string): Source | undefined {
    return SOURCES.find((s) => this.ids[s].has(recordId));
  }

  /** Adds a record, or replaces the one of its source with its id (a withdrawn one is then held again). */
  upsert(record: DatasetRecord): Entry {
    this.drop(record.source, record.recordId);
    this.removed[record.source].delete(record.recordId);
    const entry = this.add(tagged(record));
    this.asOf[record.source] = new Date().toISOString();
    return entry;
  }

  /** Removes a record; false when its source holds none with this id. */
  remove(source: Source, recordId: string): boolean {
    if (!this.drop(source, recordId)) return false;
    this.removed[source].set(recordId, ++this.seq);
    this.asOf[source] = new Date().toISOString();
    return true;
  }

  /** Withdraws an SLTD record: it no longer hits, and the next delta deletes it. Its withdrawal time. */
  withdraw(entry: DocumentEntry): string {
    if (entry.withdrawnAt === undefined) {
      entry.withdrawnAt = new Date().toISOString();
      entry.seq = ++this.seq;
      this.held.SLTD--;
      this.asOf.SLTD = entry.withdrawnAt;
    }
    return entry.withdrawnAt;
  }

  /** A record of any source by its id (withdrawn ones included). */
  entryById(recordId: string): Entry | undefined {
    for (const source of SOURCES) {
      const entry = this.ids[source].get(recordId);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /** A record of `source` by its id (withdrawn ones included). */
  entryOf(source: Source, recordId: string): Entry | undefined {
    return this.ids[source].get(recordId);
  }

  /** An SLTD record by its id (withdrawn ones included). */
  documentById(recordId: string): DocumentEntry | undefined {
    const entry = this.ids.SLTD.get(recordId);
    return entry?.source === 'SLTD' ? entry : undefined;
  }

  /**
   * The records of `source` a snapshot holds, as they are now: all of them (`since` undefined), or each record changed
   * after sequence number `since` once, in its last state. Gathered at once, so a change made while the answer streams
   * goes to the next delta, never half into this one.
   */
  snapshot(source: Source, since?: number): SnapshotRecords {
    const changes: (Entry | string)[] = [];
    if (since === undefined) {
      for (const entry of this.ids[source].values()) if (entry.withdrawnAt === undefined) changes.push(entry);
    } else {
      const seqs: number[] = [];
      for (const entry of this.ids[source].values()) {
        if (entry.seq <= since) continue;
        changes.push(entry.withdrawnAt === undefined ? entry : entry.recordId);
        seqs.push(entry.seq);
      }
      for (const [recordId, seq] of this.removed[source]) {
        if (seq <= since) continue;
        changes.push(recordId);
        seqs.push(seq);
      }
      const order = seqs.map((_, i) => i).sort((a, b) => seqs[a]! - seqs[b]!);
      const sorted = order.map((i) => changes[i]!);
      changes.length = 0;
      changes.push(...sorted);
    }
    return { upTo: this.seq, recordCount: this.held[source], changes };
  }

  /** The document entry of a report, once stored. */
  addDocument(d: DatasetDocument): DocumentEntry {
    return this.upsert({ source: 'SLTD', ...d }) as DocumentEntry;
  }

  private add(tag: Tagged): Entry {
    const { record } = tag;
    const base = {
      recordId: record.recordId,
      actionToBeTaken: record.actionToBeTaken,
      seq: ++this.seq,
    };
    let entry: Entry;
    switch (tag.source) {
      case 'SLTD': {
        const record = tag.record;
        const e: Entry = { source: 'SLTD', ...base, ownerCountry: record.ownerCountry ?? record.issuingState, document: documentRecord(record), origin: record };
        push(this.documents, documentKey(record.documentNumber, record.issuingState), e);
        entry = e;
        break;
      }
      case 'TDAWN': {
        const record = tag.record;
        const e: Entry = {
          source: 'TDAWN',
          ...base,
          ownerCountry: record.ownerCountry ?? record.issuingState,
          document: documentRecord(record),
          notice: hitNotice(record.notice),
          origin: record,
        };
        push(this.linked, documentKey(record.documentNumber, record.issuingState), e);
        entry = e;
        break;
      }
      case 'NOMINAL': {
        const record = tag.record;
        const givenNames = record.givenNames.map(normaliseName).filter((n) => n !== '');
        const e: Entry = {
          source: 'NOMINAL',
          ...base,
          ownerCountry: record.ownerCountry ?? record.notice.requestingCountry,
          person: { surname: record.surname, givenNames: record.givenNames, dateOfBirth: record.dateOfBirth, nationalities: record.nationalities },
          notice: hitNotice(record.notice),
          origin: record,
          surnameKey: normaliseName(record.surname),
          givenKey: givenNames.join(' '),
          givenSet: new Set(givenNames.flatMap((n) => n.split(' '))),
        };
        push(this.bySurname, e.surnameKey, e);
        push(this.byDateOfBirth, record.dateOfBirth, e);
        entry = e;
        break;
      }
      case 'SMV': {
        const record = tag.record;
        const e: Entry = {
          source: 'SMV',
          ...base,
          ownerCountry: record.ownerCountry ?? record.registrationCountry,
          vehicle: {
            vin: record.vin,
            plate: record.plate,
            make: record.make,
            model: record.model,
            colour: record.colour,
            theftDate: record.theftDate,
            registrationCountry: record.registrationCountry,
          },
          origin: record,
        };
        push(this.byVin, normaliseVin(record.vin), e);
        push(this.byPlate, plateKey(record.plate, record.registrationCountry), e);
        entry = e;
        break;
      }
    }
    this.ids[tag.source].set(record.recordId, entry);
    this.held[tag.source]++;
    return entry;
  }

  /** Takes a record out of every index; false when there was none. */
  private drop(source: Source, recordId: string): boolean {
    const entry = this.ids[source].get(recordId);
    if (entry === undefined) return false;
    this.ids[source].delete(recordId);
    if (entry.withdrawnAt === undefined) this.held[source]--;
    switch (entry.source) {
      case 'SLTD':
        pull(this.documents, documentKey(entry.document.documentNumber, entry.document.issuingState), entry);
        break;
      case 'TDAWN':
        pull(this.linked, documentKey(entry.document.documentNumber, entry.document.issuingState), entry);
        break;
      case 'NOMINAL':
        pull(this.bySurname, entry.surnameKey, entry);
        pull(this.byDateOfBirth, entry.person.dateOfBirth, entry);
        break;
      case 'SMV':
        pull(this.byVin, normaliseVin(entry.vehicle.vin), entry);
        pull(this.byPlate, plateKey(entry.vehicle.plate, entry.vehicle.registrationCountry), entry);
        break;
    }
    return true;
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
      for (const entry of this.byPlate.get(plateKey(q.plate, q.registrationCountry)) ?? []) {
        if (found.has(entry)) continue;
        out.push({ source: 'SMV', kind: 'vehicle', entry, match: NORMALISED(['plate', 'registrationCountry']) });
      }
    }
  }
}

/** The notice as a hit and a snapshot carry it: what the full record adds stays in the record. */
function hitNotice(n: FullNotice): FullNotice {
  return { type: n.type, reference: n.reference, requestingCountry: n.requestingCountry, ...(n.charges !== undefined ? { charges: n.charges } : {}) };
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
