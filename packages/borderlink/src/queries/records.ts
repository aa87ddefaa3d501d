/**
 * The full record a hit points to (`client.fetchRecord`): what the second line reads before anyone is detained or a
 * document seized. Everything here but `source` and `recordId` describes the record and is read leniently: a field
 * the gateway left out, sent with the wrong type or longer than 1,000 characters is `undefined`, with a warning, and
 * the record is still given. Every field that names a person, a document or a vehicle is personal data: the client
 * never logs it, nor puts it in an audit event or an error.
 * @module
 */
import type { ResponseInfo } from '../errors/index';
import type { DOCUMENT_HISTORY_EVENTS } from './values';
import type { DocumentRecord, DocumentStatus, GatewayWarning, Notice, PersonRecord, Source, VehicleRecord } from './types';

/** Kind of entry in a document record's history. Open: a gateway may send one this version does not list (kept, with a warning). */
export type DocumentHistoryEvent = (typeof DOCUMENT_HISTORY_EVENTS)[number] | (string & {});

/** One entry of a document record's history (SLTD), oldest first: the report, each change of status. */
export interface DocumentHistoryEntry {
  /** When (ISO 8601). */
  at?: string;
  event?: DocumentHistoryEvent;
  /** The document's status from then on. */
  status?: DocumentStatus;
  /** The authority that made the entry, as the gateway names it. */
  authority?: string;
}

/** A notice as its full record gives it: what a hit carries, and what the second line needs to compare a person. */
export interface NoticeDetails extends Notice {
  /** Other names the person is known by, each as the notice writes it. */
  aliases?: string[];
  /** The notice's physical description, free text. */
  physicalDescription?: string;
  /** Languages the person speaks. */
  languages?: string[];
  /** When the notice was published (ISO 8601). */
  publishedAt?: string;
  /** When it expires unless renewed (ISO 8601). */
  expiresAt?: string;
}

/** A vehicle as its full record describes it. */
export interface VehicleDetails extends VehicleRecord {
  /** @example '2019' */
  manufactureYear?: string;
  /** @example 'HATCHBACK' */
  bodyType?: string;
  engineNumber?: string;
  /** Distinctive marks and other details, free text. */
  description?: string;
}

/** What every full record has. `source` and `recordId` are read strictly: they are those asked for, or the answer is a `ProtocolError`. */
export interface FullRecordBase {
  source: Source;
  recordId: string;
  /** The state that owns the record and confirms a hit on it. */
  ownerCountry?: string;
  /** What the owner asks the officer to do, e.g. `SEIZE_DOCUMENT`. */
  actionToBeTaken?: string;
}

/** A stolen, lost or revoked document (SLTD), with its history. */
export interface SltdFullRecord extends FullRecordBase {
  source: 'SLTD';
  document?: DocumentRecord;
  /** The authority that reported the document. */
  reportingAuthority?: string;
  /** That authority's own reference for the report (its case or record number). */
  authorityReference?: string;
  /** Oldest first. */
  history?: DocumentHistoryEntry[];
}

/** A valid document linked to a notice (TDAWN), with the notice in full. */
export interface TdawnFullRecord extends FullRecordBase {
  source: 'TDAWN';
  document?: DocumentRecord;
  notice?: NoticeDetails;
}

/** A wanted or sought person (NOMINAL), with the notice in full. */
export interface NominalFullRecord extends FullRecordBase {
  source: 'NOMINAL';
  person?: PersonRecord;
  notice?: NoticeDetails;
}

/** A stolen vehicle (SMV), with its full description. */
export interface SmvFullRecord extends FullRecordBase {
  source: 'SMV';
  vehicle?: VehicleDetails;
}

/** Any full record, by `source`. */
export type FullRecord = SltdFullRecord | TdawnFullRecord | NominalFullRecord | SmvFullRecord;

/**
 * What `client.fetchRecord` gives.
 * @example
 * ```ts
 * const { record } = await client.fetchRecord(hit, { context: { purpose: 'SECOND_LINE' } });
 * if (record.source === 'NOMINAL') showNotice(record.notice);
 * ```
 */
export interface RecordResult {
  record: FullRecord;
  /** What the gateway got wrong in the record and the client read around (paths relative to the record); empty for a clean one. */
  warnings: GatewayWarning[];
  /** The `x-request-id` the client sent. */
  requestId: string;
  attempts: number;
  durationMs: number;
  /** The gateway's answer it came from: status, the gateway's own id, selected headers (see {@link ResponseInfo}). */
  response?: ResponseInfo;
}
