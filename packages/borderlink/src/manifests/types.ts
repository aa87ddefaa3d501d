// The typed manifest parsePaxlst reads a PAXLST interchange into. Open enums (`| (string & {})`) where the guide's
// code lists grow (document types, reference qualifiers); closed where a decision depends on the value (the role).
import type { DocumentType } from 'borderlink';
import type { EdifactIssue } from './errors';
import type { EdifactSeparators } from './edifact';

/** What a BGM document code says the message lists. */
export type PaxlstListKind = 'passengers' | 'crew' | 'closeOut' | 'other';

/** A traveller's role, from the NAD qualifier: FL and DDT passengers, FM and DDU crew (DDT/DDU: in transit). */
export type TravellerRole = 'passenger' | 'crew';

/** A place: a code (IATA airport, ICAO state) and, when the message names it, its name. */
export interface PaxlstPlace {
  /** @example 'FRA' */
  code?: string;
  /** @example 'FRANKFURT' */
  name?: string;
}

/** One leg of a flight: where and when it leaves, and where and when it arrives. */
export interface FlightLeg {
  /** LOC+125 (or the LOC+92 that ended the previous leg): the airport of departure. */
  departure?: string;
  /** DTM+189 after it: local time, `YYYY-MM-DDTHH:MM` (or `YYYY-MM-DD`). */
  departsAt?: string;
  /** LOC+87 (or LOC+92, a stop on the way): the airport of arrival. */
  arrival?: string;
  /** DTM+232 after it: local time, `YYYY-MM-DDTHH:MM` (or `YYYY-MM-DD`). */
  arrivesAt?: string;
}

/** The flight of a message (TDT and its locations, segment groups 2 and 3). */
export interface PaxlstFlight {
  /** TDT 8028: the flight identification, e.g. `LH400`. */
  number: string;
  /** TDT C040: the carrier's code, when given. */
  carrier?: string;
  /** In order; several for a multi-leg flight. */
  legs: FlightLeg[];
}

/** A reference of a traveller or a message (RFF): the guide's qualifier and its value. */
export interface PaxlstReference {
  /** `AVF` booking (PNR) locator, `ABO` unique passenger reference, `SEA` seat, `TN` transaction reference, … */
  qualifier: 'AVF' | 'ABO' | 'SEA' | 'CR' | 'AEA' | 'TN' | (string & {});
  value: string;
}

/** A travel document (DOC and segment group 5). */
export interface PaxlstDocument {
  /** The guide's code (DOC C002/1001): `P` passport, `I` identity card, `V` visa, `C`/`AC` crew member certificate, … */
  code: string;
  /** The code as the check's `documentType`. */
  documentType: DocumentType;
  /** DOC C503/1004, as written. */
  number: string;
  /** LOC+91: the issuing state's ICAO code. */
  issuingState?: string;
  /** DTM+36: `YYYY-MM-DD`. */
  expiresOn?: string;
  /** DTM+182: `YYYY-MM-DD`. */
  issuedOn?: string;
  /** Position of the DOC segment in the interchange. */
  segment: number;
}

/** A passenger or crew member (NAD+FL/FM/DDT/DDU and segment group 4). */
export interface PaxlstTraveller {
  /** From 1, in the order of the interchange across its messages; the default id of its row for `checkMany`. */
  index: number;
  /** Which message of {@link PaxlstManifest.messages} it is in, from 0. */
  message: number;
  /** Position of its NAD segment in the interchange. */
  segment: number;
  /** The line its NAD segment starts on. */
  line: number;
  role: TravellerRole;
  /** The NAD qualifier as written: `FL`, `FM`, `DDT`, `DDU`. */
  qualifier: string;
  /** DDT or DDU: a traveller in transit. */
  inTransit: boolean;
  /** NAD C080 first component. */
  surname: string;
  /** NAD C080 further components, split on spaces. */
  givenNames: string[];
  /** ATT+2: `M`, `F` or `X`; absent when the message says `U` or nothing. */
  sex?: 'M' | 'F' | 'X';
  /** DTM+329: `YYYY-MM-DD`. */
  dateOfBirth?: string;
  /** NAT+2: the ICAO code. */
  nationality?: string;
  /** LOC+180. */
  placeOfBirth?: PaxlstPlace;
  /** LOC+174: the country (and place) of residence. */
  residence?: PaxlstPlace;
  /** LOC+178 / LOC+179 / LOC+22: where the traveller boards, leaves, and is cleared. */
  embarkation?: string;
  debarkation?: string;
  clearance?: string;
  /** NAD street, city, region, postcode and country, as written. */
  address?: { street?: string; city?: string; region?: string; postcode?: string; country?: string };
  /** EMP: a crew member's function code (e.g. `CR1` cockpit, `CR2` cabin). */
  crewFunction?: string;
  documents: PaxlstDocument[];
  references: PaxlstReference[];
  /** RFF+AVF, when there is one. */
  bookingReference?: string;
  /** RFF+ABO, when there is one. */
  passengerReference?: string;
  /**
   * What makes this traveller unfit to check as sent (a date of birth that cannot be, a document without its
   * number, no surname). A traveller with issues is never sent: {@link toBatchItem} throws them as an
   * `EdifactError`, and {@link screenPaxlst} answers them as that traveller's error.
   */
  issues: EdifactIssue[];
}

/** The reporting party (segment group 1: NAD+MS, CTA, COM). */
export interface PaxlstParty {
  name?: string;
  contact?: string;
  phone?: string;
  fax?: string;
  email?: string;
}

/** One PAXLST message (UNH to UNT). */
export interface PaxlstMessage {
  /** UNH 0062. */
  reference: string;
  /** UNH S009: `D:05B:UN:IATA` and the like. */
  version: { directory: string; release: string; agency: string; association?: string };
  /** UNH 0068: often the flight and date, shared by the parts of one list. */
  commonAccessReference?: string;
  /** UNH S010: the part of a list sent in several messages (`01:C`, `02:F`). */
  sequence?: { number: number; last: boolean };
  /** BGM 1001 as written. */
  documentCode: string;
  list: PaxlstListKind;
  /** BGM 1004 (e.g. `CP` changed passenger data, `CL` a crew list's function). */
  documentIdentifier?: string;
  /** RFF+TN in the header: the transaction reference a CUSRES answer repeats. */
  transactionReference?: string;
  references: PaxlstReference[];
  reportingParty?: PaxlstParty;
  flights: PaxlstFlight[];
  /** Travellers of this message; each is also in {@link PaxlstManifest.travellers}. */
  travellers: PaxlstTraveller[];
  /** CNT+42 and CNT+41, when given (checked against the travellers read). */
  declaredPassengers?: number;
  declaredCrew?: number;
  /** UNG 0048 of the group the message is in. */
  group?: string;
}

/** A whole PAXLST interchange, read. */
export interface PaxlstManifest {
  interchange: {
    /** UNB 0020. */
    reference: string;
    /** UNB S001: e.g. `UNOA` and `4`. */
    syntax: { identifier: string; version: string };
    /** UNB S002/0004. */
    sender: string;
    /** UNB S003/0010. */
    recipient: string;
    /** UNB S004: `YYYY-MM-DDTHH:MM`. */
    preparedAt?: string;
    /** UNB 0035 = 1. */
    test: boolean;
    separators: EdifactSeparators;
  };
  messages: PaxlstMessage[];
  /** Every traveller of every message, in order. */
  travellers: PaxlstTraveller[];
  /** Segments passed over (unknown, misplaced) and descriptive fields that could not be read; by position. */
  warnings: EdifactIssue[];
}
