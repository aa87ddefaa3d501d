/**
 * The domain types a caller passes in and gets back. These are the public contract: add, don't rename.
 * @module
 */
import type { ResponseInfo } from '../errors/index';
import type {
  CONFIRMATION_STATES,
  DOCUMENT_STATUSES,
  MATCH_METHODS,
  NOTICE_TYPES,
  OUTCOME_STATUSES,
  PURPOSES,
  REPORTABLE_STATUSES,
  SOURCES,
  VERDICTS,
  WITHDRAWAL_REASONS,
} from './values';

export {
  CONFIRMATION_STATES,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  NOTICE_TYPES,
  OUTCOME_STATUSES,
  PURPOSES,
  REPORTABLE_STATUSES,
  SEXES,
  SOURCES,
  VERDICTS,
  WITHDRAWAL_REASONS,
} from './values';

/** A database behind the gateway. SLTD: stolen and lost travel documents; TDAWN: valid documents linked to a notice;
 * NOMINAL: wanted persons (notices and diffusions); SMV: stolen motor vehicles. */
export type Source = (typeof SOURCES)[number];

/** Why a query is made. Sent with every query and kept in the audit event. */
export type Purpose = (typeof PURPOSES)[number];

/**
 * Who asks, for which authority, and why. Required on every query: nothing is sent without `authorityId`,
 * `operatorId` and `purpose`. Set it once on the client and override fields per call.
 * @example
 * ```ts
 * const context = { authorityId: 'MDA-BPOL', operatorId: 'officer-0042', purpose: 'BORDER_CHECK', locationId: 'MD-LEUSENI' };
 * ```
 */
export interface QueryContext {
  /** The authority the query is made for, as the gateway knows it. @example 'MDA-BPOL' */
  authorityId: string;
  /** The operator (officer, system account) making the query. @example 'officer-0042' */
  operatorId: string;
  /** Why the query is made. */
  purpose: Purpose;
  /** Where the query is made from (border crossing point, station). @example 'MD-LEUSENI' */
  locationId?: string;
}

export type { DocumentType, Sex } from '../mrz/index';
import type { DocumentType, Sex } from '../mrz/index';
import type { NameVariant } from '../names/variants';

/**
 * A person to look for in NOMINAL (wanted persons).
 * @example
 * ```ts
 * { surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', sex: 'F', nationality: 'UTO' }
 * ```
 */
export interface PersonQuery {
  /**
   * Primary identifier, as printed, in its own script (letters with their combining marks, spaces, apostrophes, full
   * stops, commas, hyphens; `’` and `‘` are taken as `'`). The subject sent carries its ICAO form (`Цой` → `TSOI`, `Müller` → `MUELLER`; see `transliterateName`),
   * or the name as given when the ICAO tables cannot write it. A name with no letter to search (see `hasNameLetter`)
   * is an `InputError`.
   */
  surname: string;
  /** Secondary identifiers, in order. Empty when the person has none. Sent in their ICAO form, as `surname`. @default [] */
  givenNames?: string[];
  /**
   * `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when parts are unknown: sent as given, never completed to a full date (a
   * gateway matches a partial date against the records it fits).
   */
  dateOfBirth?: string;
  /** @default 'UNSPECIFIED' */
  sex?: Sex;
  /**
   * ICAO state code (1–3 letters), e.g. `UTO` or `D`. For a Cyrillic name, `RUS`, `UKR`, `BLR`, `BGR`, `SRB` and `MKD`
   * pick that language's exceptions of the ICAO table for the ICAO form.
   */
  nationality?: string;
  /**
   * Other spellings of the same name a record may hold, searched as well (at most `MAX_NAME_VARIANTS`). Leave it out
   * and the client sends the spellings of `nameVariants(…)` other than the ICAO form: the name as written, the
   * one-letter forms of Ä, Ö, Ü, Å, Ø, the older Cyrillic romanisation, the other word order, without spaces and
   * hyphens. Give your own list to send those instead, or `[]` to search the ICAO form only.
   * @default the spellings of `nameVariants(…)` after the first
   * @example [{ surname: 'TSOY', givenNames: ['YULIYA'] }]
   */
  nameVariants?: NameVariant[];
}

/**
 * A travel document to look for in SLTD and TDAWN.
 * @example
 * ```ts
 * { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }
 * ```
 */
export interface DocumentQuery {
  /** Document number: letters A–Z and digits only, without filler `<`. */
  documentNumber: string;
  /** ICAO code of the issuing state or organisation (1–3 letters). */
  issuingState: string;
  /** Kind of document. */
  documentType: DocumentType;
  /** The holder, when known: TDAWN and the gateway may use it to confirm a match. */
  holder?: PersonQuery | undefined;
}

/**
 * A vehicle to look for in SMV: by VIN, or by plate and registration country.
 * @example
 * ```ts
 * { vin: 'WVWZZZ1JZXW000001' }
 * { plate: 'B-AB 123', registrationCountry: 'D' }
 * ```
 */
export interface VehicleQuery {
  /** Vehicle identification number: 17 characters, no I, O or Q. */
  vin?: string | undefined;
  /** Registration plate as displayed. */
  plate?: string | undefined;
  /** ICAO/ISO code of the state that registered the plate. Required with `plate`. */
  registrationCountry?: string | undefined;
}

/** A document subject in a combined check. */
export interface DocumentSubject extends DocumentQuery {
  kind: 'document';
}
/** A person subject in a combined check. */
export interface PersonSubject extends PersonQuery {
  kind: 'person';
}
/** A vehicle subject in a combined check. */
export interface VehicleSubject extends VehicleQuery {
  kind: 'vehicle';
}
/** Anything that can be checked. */
export type Subject = DocumentSubject | PersonSubject | VehicleSubject;

/** The combined answer to a check. `NO_HIT` only when every requested source answered `NO_HIT`. */
export type Verdict = (typeof VERDICTS)[number];

/**
 * How one source answered. Anything but `HIT`, `POSSIBLE_HIT` or `NO_HIT` makes the verdict `INCOMPLETE`.
 * `NOT_ASKED` is the client's own: a requested source it did not send, because nothing it could search was left (an
 * MRZ checked with `allowInvalidMrz` whose document number or name was unusable). A gateway never sends it (an
 * outcome that says `NOT_ASKED` is read as a broken outcome).
 */
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** One requested source's answer. */
export interface SourceOutcome {
  source: Source;
  status: OutcomeStatus;
  /** When the source's data was last updated (ISO 8601), when it said. */
  dataAsOf?: string;
  /** `offline` when the client's offline copy answered for the source, not the gateway (see docs/offline.md). */
  servedFrom?: 'offline';
  /** Why an answer from the offline copy is what it is; see {@link OfflineNote}. */
  offlineNote?: OfflineNote;
}

/**
 * What an outcome answered from the offline copy says about itself. `EXACT_MATCH_ONLY`: a person's `NO_HIT` from the
 * copy, which matches names exactly (fuzzy matching is the gateway's). The others come with `UNAVAILABLE` (or
 * `ERROR`), never with `NO_HIT`: `NOT_SYNCED` (the source was never synced), `COPY_TOO_OLD` (found nothing, and the copy
 * is older than `maxStalenessMs`), `CANNOT_SEARCH_OFFLINE` (nothing in the query the copy can match exactly, such as a
 * person without a full date of birth), `NOT_KEPT_OFFLINE` (the source is not among the copy's `sources`),
 * `STORE_FAILED` (the store could not be read).
 */
export type OfflineNote = 'EXACT_MATCH_ONLY' | 'NOT_SYNCED' | 'COPY_TOO_OLD' | 'CANNOT_SEARCH_OFFLINE' | 'NOT_KEPT_OFFLINE' | 'STORE_FAILED';

/**
 * How a hit matched the query. `method` and `score` decide the verdict and are always there; a hit whose method or
 * score could not be read is not in the result (see {@link GatewayWarning}).
 */
export interface Match {
  /** `EXACT` and `NORMALISED` make a `HIT`; `FUZZY` a `POSSIBLE_HIT`. */
  method: (typeof MATCH_METHODS)[number];
  /** 0 to 1. */
  score: number;
  /** Which query fields matched, e.g. `['documentNumber', 'issuingState']`. `undefined` when the gateway's list could not be read. */
  matchedFields?: string[];
  /**
   * The spelling of the person's name, among the subject's `nameVariants`, that found the record, when the gateway
   * says (its own names did not). Personal data: kept in the result, never in logs or audit events. A field the
   * gateway sent unreadable is `undefined`, with a warning.
   * @example { surname: 'TSOY', givenNames: ['YULIYA'] }
   */
  matchedVariant?: { surname?: string; givenNames?: string[] };
}

/**
 * Where a hit stands in the confirmation process. A hit is a lead until the owner country confirms it. Open: a
 * gateway may send a state this version does not list (it is kept, with a warning).
 */
export type ConfirmationState = (typeof CONFIRMATION_STATES)[number] | (string & {});

/**
 * Status of a document record. `VALID` is a valid document linked to a notice (TDAWN): the document is genuine, its
 * holder is sought. Open: a gateway may send a status this version does not list, e.g. `CANCELLED` (it is kept, with a
 * warning).
 */
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number] | (string & {});

/** Status a state may report its own document with. */
export type ReportableStatus = (typeof REPORTABLE_STATUSES)[number];

/** Why a report is withdrawn. */
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** Kind of notice or diffusion. Open: a gateway may send a type this version does not list (it is kept, with a warning). */
export type NoticeType = (typeof NOTICE_TYPES)[number] | (string & {});

/*
 * The records below describe what a hit points to. Their fields are read leniently: a field the gateway left out,
 * sent with the wrong type or sent longer than 1,000 characters is `undefined` (and the result has a warning for
 * it), so one odd descriptive value never costs the hit.
 */

/** A notice or diffusion a hit is linked to. */
export interface Notice {
  type?: NoticeType;
  reference?: string;
  requestingCountry?: string;
  charges?: string[];
}

/** The document record a document hit points to. */
export interface DocumentRecord {
  documentNumber?: string;
  issuingState?: string;
  /** The protocol's document types, or one this version does not list. */
  documentType?: DocumentType | (string & {});
  status?: DocumentStatus;
  incidentDate?: string;
  incidentCountry?: string;
}

/** The person record a person hit points to. */
export interface PersonRecord {
  surname?: string;
  givenNames?: string[];
  dateOfBirth?: string;
  nationalities?: string[];
}

/** The vehicle record a vehicle hit points to. A gateway sends `""` for a value the source does not hold. */
export interface VehicleRecord {
  vin?: string;
  plate?: string;
  make?: string;
  model?: string;
  colour?: string;
  theftDate?: string;
  registrationCountry?: string;
}

/**
 * Fields every hit has. `hitId`, `source`, `recordId`, `kind` and `match` are read strictly and always there; the
 * others describe the record and are `undefined` when the gateway's value could not be read.
 */
export interface HitBase {
  /** Unique per answer; cite it when confirming the hit. */
  hitId: string;
  source: Source;
  /** The record's identifier in the source. */
  recordId: string;
  /** The state that owns the record and confirms the hit. */
  ownerCountry?: string;
  match: Match;
  /** What the owner asks the officer to do, e.g. `SEIZE_DOCUMENT`. */
  actionToBeTaken?: string;
  confirmation?: { state?: ConfirmationState };
}
/** A stolen, lost or revoked document (SLTD). */
export interface DocumentHit extends HitBase {
  kind: 'document';
  document?: DocumentRecord;
}
/** A valid document linked to a notice (TDAWN). */
export interface LinkedDocumentHit extends HitBase {
  kind: 'linked-document';
  document?: DocumentRecord;
  notice?: Notice;
}
/** A wanted person (NOMINAL). */
export interface PersonHit extends HitBase {
  kind: 'person';
  person?: PersonRecord;
  notice?: Notice;
}
/** A stolen vehicle (SMV). */
export interface VehicleHit extends HitBase {
  kind: 'vehicle';
  vehicle?: VehicleRecord;
}
/** Any hit, discriminated by `kind`. */
export type Hit = DocumentHit | LinkedDocumentHit | PersonHit | VehicleHit;

/**
 * Something in the gateway's answer that does not follow protocol v1 and that the client read around: a descriptive
 * field missing, of the wrong type, too long or holding a value this version does not list (the hit is kept, the
 * field is `undefined` or kept as sent), or an outcome or hit whose verdict fields could not be read (it is left out,
 * and the result can then never be `NO_HIT`). See docs/protocol.md, "Reading the answer".
 * @example
 * ```ts
 * for (const w of result.warnings) metrics.increment('gateway.deviation', { path: w.path.replace(/\.\d+/g, '.*') });
 * ```
 */
export interface GatewayWarning {
  code: 'GATEWAY_DEVIATION';
  /**
   * Where, by protocol field names and array indexes only, never a value: relative to the item for what is in it
   * (`hits.0.document.status`, `outcomes.1.status`), `requestId` for the answer's own id.
   */
  path: string;
}

/**
 * The answer to one check.
 * @example
 * ```ts
 * const result = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
 * if (result.verdict === 'HIT') alertOfficer(result.hits);
 * else if (!isClear(result)) showIncomplete(result.outcomes);
 * ```
 */
export interface CheckResult {
  /** The combined verdict; see {@link Verdict}. */
  verdict: Verdict;
  hits: Hit[];
  /** One entry per requested source. A missing or failed source is here with its status. */
  outcomes: SourceOutcome[];
  /** The `x-request-id` the client sent for the call: the id to log and to quote to the gateway's operators. */
  requestId: string;
  /**
   * The `requestId` the gateway put in its answer, when it gave one of 1 to 128 printable ASCII characters without
   * spaces (anything else is left out, with a warning). For an answer served from the cache, the id of the answer it
   * was stored from.
   */
  gatewayRequestId?: string;
  /** What the gateway got wrong in this answer and the client read around; empty for a clean answer. At most 100. */
  warnings: GatewayWarning[];
  /** How many requests were sent (1 unless retried). 0 when served from the cache. */
  attempts: number;
  /** Milliseconds from the start of the call to the answer. */
  durationMs: number;
  /**
   * `cache` when the answer came from the client's cache (only when the cache is turned on); `offline` when the
   * client's offline copy answered (only with the `offline` option; each outcome then says so too).
   */
  servedFrom: 'network' | 'cache' | 'offline';
  /**
   * The gateway's answer the result came from: its HTTP status, the gateway's own id of it (the same as
   * `gatewayRequestId`) and selected headers (see {@link ResponseInfo}), never its body. Shared by the results of one
   * request (the rows of a batch, the calls a request carried) and frozen. For an answer served from the cache, the
   * answer it was stored from; absent for an answer of the offline copy.
   */
  response?: ResponseInfo;
  /**
   * Why the offline copy answered: the code of the error the gateway's request ended with (`CONNECTION_FAILED`,
   * `TIMEOUT`, `CIRCUIT_OPEN`, a 5xx's code), or `OFFLINE_FIRST` in `first` mode. Only when `servedFrom` is `offline`.
   */
  offlineReason?: string;
}
