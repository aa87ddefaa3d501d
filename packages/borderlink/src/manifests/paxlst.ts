// parsePaxlst: an EDIFACT interchange of PAXLST messages, read into a typed manifest. The envelope (UNB, UNG, UNH
// and their trailers) is checked as it goes; inside a message, the segment groups of the guide are followed by
// context (header, reporting party, flight, traveller, document), since the same tag (DTM, LOC, RFF) means
// different things in each. Structural faults throw; a traveller's own faults stay with that traveller.
import { ConfigError, type DocumentType } from 'borderlink';
import { isPossibleBirth, isoDate } from './dates';
import { EdifactTokenizer, decodeEdifact, decodeEdifactBytes, endInPlace, writeInPlace, type SegmentFields } from './edifact';
import { EdifactError, issue, type EdifactIssue, type EdifactIssueCode } from './errors';
import { refuseUnknownOptions } from './options';
import { PAXLST_SEGMENTS } from './segments';
import type {
  FlightLeg,
  PaxlstDocument,
  PaxlstFlight,
  PaxlstListKind,
  PaxlstManifest,
  PaxlstMessage,
  PaxlstParty,
  PaxlstTraveller,
  TravellerRole,
} from './types';

/** Options of {@link parsePaxlst}. */
export interface ParsePaxlstOptions {
  /** The longest segment read, in characters; a longer one is an error (a file without terminators). @default 4096 */
  maxSegmentLength?: number | undefined;
  /**
   * The most segments read: a manifest is held whole, so a file of millions of segments is refused instead. The
   * largest aircraft's full list is under 20,000 segments.
   * @default 500000
   */
  maxSegments?: number | undefined;
  /** Add a `SKIPPED_SEGMENT` warning for each segment of the guide passed over by name (MEA, GEI, FTX, …). @default false */
  reportSkipped?: boolean | undefined;
  /** Today, to read two-digit years (a birth is never in the future). @default the current date */
  now?: Date | undefined;
}

const OPTION_NAMES = ['maxSegmentLength', 'maxSegments', 'reportSkipped', 'now'] as const;

/** BGM 1001 document codes of the guide. */
const LIST_KINDS: Readonly<Record<string, PaxlstListKind>> = { '745': 'passengers', '250': 'crew', '336': 'crew', '266': 'closeOut' };

/** NAD 3035 qualifiers of a traveller. */
const ROLES: Readonly<Record<string, { role: TravellerRole; inTransit: boolean }>> = {
  FL: { role: 'passenger', inTransit: false },
  DDT: { role: 'passenger', inTransit: true },
  FM: { role: 'crew', inTransit: false },
  DDU: { role: 'crew', inTransit: true },
};

/** DOC 1001 codes as the check's document type; a code not listed is `OTHER`, with a warning. */
export const PAXLST_DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = Object.freeze({
  P: 'PASSPORT',
  PT: 'PASSPORT',
  I: 'ID_CARD',
  ID: 'ID_CARD',
  IP: 'ID_CARD',
  V: 'VISA',
  A: 'OTHER',
  AC: 'OTHER',
  C: 'OTHER',
  F: 'OTHER',
  M: 'OTHER',
  L: 'OTHER',
  G: 'OTHER',
});

const SEXES: Readonly<Record<string, 'M' | 'F' | 'X' | undefined>> = { M: 'M', F: 'F', X: 'X', U: undefined, '': undefined };

type Context = 'header' | 'party' | 'transport' | 'traveller' | 'document' | 'summary';
type Envelope = 'start' | 'interchange' | 'group' | 'message' | 'done';

const first = (segment: SegmentFields, element: number, component = 0): string => segment.get(element, component).trim();

/** The components of one element, trimmed, the empty ones left out, joined by a space. */
function joined(segment: SegmentFields, element: number): string {
  let text = '';
  for (let c = 0, n = segment.components(element); c < n; c++) {
    const part = segment.get(element, c).trim();
    if (part !== '') text = text === '' ? part : `${text} ${part}`;
  }
  return text;
}

function fail(code: EdifactIssueCode, segment: { position: number; line: number; tag: string }, problem: string, element?: number): never {
  throw new EdifactError([issue(code, segment, problem, element)]);
}

/** The state of one reading: fed segments in order, then finished. */
class PaxlstReader {
  readonly #options: ParsePaxlstOptions;
  readonly #now: Date;
  #envelope: Envelope = 'start';
  #interchange: PaxlstManifest['interchange'] | undefined;
  readonly #messages: PaxlstMessage[] = [];
  /** The message references of the interchange so far: a message sent twice would be screened and counted twice. */
  readonly #messageReferences = new Set<string>();
  readonly #travellers: PaxlstTraveller[] = [];
  readonly #warnings: EdifactIssue[] = [];
  #groups = 0;
  #group: { reference: string; messages: number } | undefined;
  #topMessages = 0;
  // The message being read.
  #message: PaxlstMessage | undefined;
  #messageSegments = 0;
  #hasBgm = false;
  #context: Context = 'header';
  #flight: PaxlstFlight | undefined;
  #leg: FlightLeg | undefined;
  #lastLoc = '';
  #traveller: PaxlstTraveller | undefined;
  #document: PaxlstDocument | undefined;
  // Where the last segment read was, for an error about what comes after it.
  #lastPosition = 0;
  #lastLine = 1;
  readonly #series = new Map<string, { passengers: number; crew: number }>();

  constructor(options: ParsePaxlstOptions) {
    this.#options = options;
    this.#now = options.now ?? new Date();
  }

  push(s: SegmentFields, separators: PaxlstManifest['interchange']['separators']): void {
    this.#lastPosition = s.position;
    this.#lastLine = s.line;
    switch (this.#envelope) {
      case 'start':
        if (s.tag === 'UNA' && s.position === 1) return;
        if (s.tag === 'UNA') fail('UNEXPECTED_SEGMENT', s, 'a second service string advice (UNA)');
        if (s.tag !== 'UNB') fail('MISSING_SEGMENT', s, 'the interchange does not start with UNB (nor UNA then UNB)');
        this.#unb(s, separators);
        return;
      case 'interchange':
        if (s.tag === 'UNH') {
          // ISO 9735: an interchange's messages are all in groups or none are; its UNZ counts one or the other.
          if (this.#groups > 0) fail('UNEXPECTED_SEGMENT', s, 'a message outside any functional group, in an interchange that has groups: its UNZ would not count it');
          return this.#unh(s);
        }
        if (s.tag === 'UNG') {
          if (this.#topMessages > 0) fail('UNEXPECTED_SEGMENT', s, 'a functional group after messages outside any group');
          const reference = first(s, 4);
          if (reference === '') fail('MISSING_ELEMENT', s, 'the group reference (0048) is empty', 5);
          this.#group = { reference, messages: 0 };
          this.#groups++;
          this.#envelope = 'group';
          return;
        }
        if (s.tag === 'UNZ') return this.#unz(s);
        fail('UNEXPECTED_SEGMENT', s, 'a segment outside any message (between UNT and the next UNH)');
      case 'group':
        if (s.tag === 'UNH') return this.#unh(s);
        if (s.tag === 'UNE') {
          const group = this.#group!;
          this.#count(s, 'messages in the group', group.messages);
          if (first(s, 1) !== group.reference) fail('REFERENCE_MISMATCH', s, 'the group trailer’s reference is not its UNG’s', 2);
          this.#group = undefined;
          this.#envelope = 'interchange';
          return;
        }
        if (s.tag === 'UNZ') fail('MISSING_SEGMENT', s, 'the functional group has no UNE before the interchange trailer');
        fail('UNEXPECTED_SEGMENT', s, 'a segment outside any message (between UNT and the next UNH)');
      case 'message':
        this.#messageSegments++;
        if (s.tag === 'UNT') return this.#unt(s);
        if (s.tag === 'UNH' || s.tag === 'UNZ' || s.tag === 'UNE' || s.tag === 'UNB' || s.tag === 'UNG') {
          fail('MISSING_SEGMENT', s, 'a new envelope segment inside a message: the message has no UNT (cut short?)');
        }
        this.#body(s);
        return;
      case 'done':
        fail('UNEXPECTED_SEGMENT', s, 'a segment after the interchange trailer (UNZ)');
    }
  }

  finish(): PaxlstManifest {
    const after = { position: this.#lastPosition + 1, line: this.#lastLine };
    if (this.#envelope === 'start') fail('MISSING_SEGMENT', { ...after, tag: 'UNB' }, 'the text holds no interchange (no UNB)');
    if (this.#envelope === 'message') fail('MISSING_SEGMENT', { ...after, tag: 'UNT' }, 'the text ends inside a message: no UNT (cut short?)');
    if (this.#envelope === 'group') fail('MISSING_SEGMENT', { ...after, tag: 'UNE' }, 'the text ends inside a functional group: no UNE (cut short?)');
    if (this.#envelope !== 'done') fail('MISSING_SEGMENT', { ...after, tag: 'UNZ' }, 'the text ends without the interchange trailer UNZ (cut short?)');
    return { interchange: this.#interchange!, messages: this.#messages, travellers: this.#travellers, warnings: this.#warnings };
  }

  #unb(s: SegmentFields, separators: PaxlstManifest['interchange']['separators']): void {
    const reference = first(s, 4);
    if (reference === '') fail('MISSING_ELEMENT', s, 'the interchange control reference (0020) is empty', 5);
    const date = first(s, 3, 0);
    const time = first(s, 3, 1);
    const preparedAt = date === '' ? undefined : isoDate(`${date}${time}`, undefined, 'window', this.#now);
    if (date !== '' && preparedAt === undefined) this.#warn('BAD_DATE', s, 'the preparation date and time cannot be read', 4);
    this.#interchange = {
      reference,
      syntax: { identifier: first(s, 0, 0), version: first(s, 0, 1) },
      sender: first(s, 1, 0),
      recipient: first(s, 2, 0),
      ...(preparedAt !== undefined ? { preparedAt } : {}),
      test: first(s, 10) === '1',
      separators,
    };
    this.#envelope = 'interchange';
  }

  #unz(s: SegmentFields): void {
    if (this.#messages.length === 0) fail('MISSING_SEGMENT', s, 'the interchange holds no message (no UNH)');
    this.#count(s, this.#groups > 0 ? 'functional groups' : 'messages', this.#groups > 0 ? this.#groups : this.#topMessages);
    if (first(s, 1) !== this.#interchange!.reference) fail('REFERENCE_MISMATCH', s, 'the interchange trailer’s reference is not its UNB’s', 2);
    this.#envelope = 'done';
  }

  /** A trailer's count (element 1) against what was read. */
  #count(s: SegmentFields, what: string, actual: number): void {
    const text = first(s, 0);
    if (!/^\d{1,9}$/.test(text)) fail('MISSING_ELEMENT', s, `the count of ${what} is not a number`, 1);
    if (Number(text) !== actual) fail('COUNT_MISMATCH', s, `the trailer counts ${Number(text)} ${what}, and ${actual} are there`, 1);
  }

  #unh(s: SegmentFields): void {
    const reference = first(s, 0);
    if (reference === '') fail('MISSING_ELEMENT', s, 'the message reference (0062) is empty', 1);
    if (this.#messageReferences.has(reference)) fail('DUPLICATE_REFERENCE', s, 'the message reference (0062) is that of an earlier message of the interchange', 1);
    this.#messageReferences.add(reference);
    if (first(s, 1, 0) !== 'PAXLST') fail('NOT_PAXLST', s, 'the message is not a PAXLST (UNH S009/0065)', 2);
    const association = first(s, 1, 4);
    const commonAccessReference = first(s, 2);
    const sequenceNumber = first(s, 3, 0);
    const message: PaxlstMessage = {
      reference,
      version: { directory: first(s, 1, 1), release: first(s, 1, 2), agency: first(s, 1, 3), ...(association !== '' ? { association } : {}) },
      ...(commonAccessReference !== '' ? { commonAccessReference } : {}),
      ...(/^\d{1,2}$/.test(sequenceNumber) ? { sequence: { number: Number(sequenceNumber), last: first(s, 3, 1) === 'F' } } : {}),
      documentCode: '',
      list: 'other',
      references: [],
      flights: [],
      travellers: [],
      ...(this.#group !== undefined ? { group: this.#group.reference } : {}),
    };
    this.#message = message;
    this.#messageSegments = 1;
    this.#hasBgm = false;
    this.#context = 'header';
    this.#flight = undefined;
    this.#leg = undefined;
    this.#traveller = undefined;
    this.#document = undefined;
    this.#envelope = 'message';
  }

  #unt(s: SegmentFields): void {
    const message = this.#message!;
    this.#closeTraveller();
    this.#count(s, 'segments in the message', this.#messageSegments);
    if (first(s, 1) !== message.reference) fail('REFERENCE_MISMATCH', s, 'the message trailer’s reference is not its UNH’s', 2);
    if (!this.#hasBgm) fail('MISSING_SEGMENT', s, 'the message has no BGM: it does not say whether it lists passengers or crew');
    if (message.flights.length === 0) this.#warn('MISSING_SEGMENT', s, 'the message ends without naming a flight (no TDT): its travellers are still read');
    this.#checkDeclared(s, message);
    this.#messages.push(message);
    if (this.#group !== undefined) this.#group.messages++;
    else this.#topMessages++;
    this.#message = undefined;
    this.#envelope = this.#group !== undefined ? 'group' : 'interchange';
  }

  /**
   * CNT+42 / CNT+41 against the travellers read: a list that says 120 and holds 119 lost one. A list sent in parts
   * (UNH S010) may count the whole list so far, so the running total of its parts also matches.
   */
  #checkDeclared(s: SegmentFields, message: PaxlstMessage): void {
    const passengers = message.travellers.filter((t) => t.role === 'passenger').length;
    const crew = message.travellers.length - passengers;
    let total = { passengers, crew };
    if (message.sequence !== undefined) {
      const key = message.commonAccessReference ?? '';
      const before = this.#series.get(key) ?? { passengers: 0, crew: 0 };
      total = { passengers: before.passengers + passengers, crew: before.crew + crew };
      this.#series.set(key, message.sequence.last ? { passengers: 0, crew: 0 } : total);
    }
    const at = this.#cntAt ?? s;
    if (message.declaredPassengers !== undefined && message.declaredPassengers !== passengers && message.declaredPassengers !== total.passengers) {
      fail('COUNT_MISMATCH', at, `CNT+42 declares ${message.declaredPassengers} passengers, and ${passengers} are there`, 1);
    }
    if (message.declaredCrew !== undefined && message.declaredCrew !== crew && message.declaredCrew !== total.crew) {
      fail('COUNT_MISMATCH', at, `CNT+41 declares ${message.declaredCrew} crew members, and ${crew} are there`, 1);
    }
    this.#cntAt = undefined;
  }

  #cntAt: { position: number; line: number; tag: string } | undefined;

  #warn(code: EdifactIssueCode, s: SegmentFields, problem: string, element?: number): void {
    this.#warnings.push(issue(code, s, problem, element));
  }

  #skipped(s: SegmentFields): void {
    if (this.#options.reportSkipped === true) this.#warn('SKIPPED_SEGMENT', s, `passed over: ${PAXLST_SEGMENTS[s.tag]?.note ?? 'nothing a check uses'}`);
  }

  #misplaced(s: SegmentFields): void {
    this.#passedOver('MISPLACED_SEGMENT', s, 'the guide does not put this segment here: passed over');
  }

  /**
   * A segment passed over unread is a warning; inside a traveller's group it is also that traveller's issue. It may
   * have held the traveller's data (a DOC whose tag was mistyped, with the passport in it): searched on the rest
   * alone, the traveller could come back clear on what was read.
   */
  #passedOver(code: EdifactIssueCode, s: SegmentFields, problem: string): void {
    this.#warn(code, s, problem);
    if (this.#traveller !== undefined && (this.#context === 'traveller' || this.#context === 'document')) {
      this.#travellerIssue(code, s, `${problem}, inside this traveller’s group: what it held of the traveller is not read`);
    }
  }

  #travellerIssue(code: EdifactIssueCode, s: SegmentFields, problem: string, element?: number): void {
    this.#traveller!.issues.push(issue(code, s, problem, element));
  }

  #body(s: SegmentFields): void {
    const message = this.#message!;
    const inTraveller = this.#context === 'traveller' || this.#context === 'document';
    switch (s.tag) {
      case 'BGM': {
        if (this.#hasBgm || this.#context !== 'header') return this.#misplaced(s);
        this.#hasBgm = true;
        const code = first(s, 0);
        message.documentCode = code;
        const list = LIST_KINDS[code];
        if (list === undefined) this.#warn('UNKNOWN_CODE', s, 'a document code (BGM 1001) the guide does not list: its travellers are still read', 1);
        message.list = list ?? 'other';
        const identifier = first(s, 1);
        if (identifier !== '') message.documentIdentifier = identifier;
        return;
      }
      case 'RFF': {
        const qualifier = first(s, 0, 0);
        const value = s.get(0, 1).trim();
        if (inTraveller) {
          const t = this.#traveller!;
          t.references.push({ qualifier, value });
          if (qualifier === 'AVF' && t.bookingReference === undefined) t.bookingReference = value;
          if (qualifier === 'ABO' && t.passengerReference === undefined) t.passengerReference = value;
          return;
        }
        if (this.#context !== 'header' && this.#context !== 'party') return this.#misplaced(s);
        message.references.push({ qualifier, value });
        if (qualifier === 'TN' && message.transactionReference === undefined) message.transactionReference = value;
        return;
      }
      case 'DTM':
        return this.#dtm(s);
      case 'NAD': {
        // A traveller's qualifier makes a traveller wherever it stands: a list without its TDT must not turn its
        // passengers into reporting parties, nor one after the CNT be passed over (and lost, the CNT counting only
        // those before it). Before the flight, any other NAD is the reporting party; after it, a traveller whose
        // qualifier is its issue.
        if ((this.#context === 'header' || this.#context === 'party') && !Object.hasOwn(ROLES, first(s, 0))) {
          if (this.#flight !== undefined) return this.#misplaced(s);
          const name = joined(s, 3);
          message.reportingParty = name === '' ? {} : { name };
          this.#context = 'party';
          return;
        }
        return this.#nad(s);
      }
      case 'CTA':
      case 'COM': {
        if (this.#context === 'party') return this.#party(s, message.reportingParty!);
        if (inTraveller && s.tag === 'COM') return this.#skipped(s);
        return this.#misplaced(s);
      }
      case 'TDT': {
        if (this.#context !== 'header' && this.#context !== 'party' && this.#context !== 'transport') return this.#misplaced(s);
        const number = first(s, 1);
        if (number === '') this.#warn('MISSING_ELEMENT', s, 'the flight identification (8028) is empty', 2);
        const carrier = first(s, 4, 0);
        this.#flight = { number, ...(carrier !== '' ? { carrier } : {}), legs: [] };
        this.#leg = undefined;
        this.#lastLoc = '';
        message.flights.push(this.#flight);
        this.#context = 'transport';
        return;
      }
      case 'LOC':
        return this.#loc(s);
      case 'ATT': {
        if (!inTraveller) return this.#misplaced(s);
        if (first(s, 0) !== '2') return this.#skipped(s);
        const code = first(s, 2, 0).toUpperCase();
        if (!Object.hasOwn(SEXES, code)) {
          this.#warn('UNKNOWN_CODE', s, 'a sex code the guide does not list: the traveller is searched without it', 3);
          return;
        }
        const sex = SEXES[code];
        if (sex !== undefined) this.#traveller!.sex = sex;
        return;
      }
      case 'NAT': {
        if (!inTraveller) return this.#misplaced(s);
        const code = first(s, 1, 0).toUpperCase();
        if (code !== '') this.#traveller!.nationality = code;
        return;
      }
      case 'EMP': {
        if (!inTraveller) return this.#misplaced(s);
        const fn = first(s, 1, 0);
        if (fn !== '') this.#traveller!.crewFunction = fn;
        return;
      }
      case 'DOC':
        return this.#doc(s);
      case 'MEA':
      case 'GEI':
      case 'GIS':
      case 'FTX':
        return inTraveller ? this.#skipped(s) : this.#misplaced(s);
      case 'CNT': {
        this.#closeTraveller();
        this.#context = 'summary';
        for (let i = 0; i < s.count; i++) {
          const qualifier = s.get(i, 0).trim();
          const value = s.get(i, 1).trim();
          if (qualifier !== '41' && qualifier !== '42') continue;
          if (!/^\d{1,9}$/.test(value)) fail('MISSING_ELEMENT', s, 'the control total is not a number', i + 1);
          const key = qualifier === '42' ? 'declaredPassengers' : 'declaredCrew';
          // Only one total can be checked against the travellers: a second that disagrees would go unchecked.
          if (message[key] !== undefined && message[key] !== Number(value)) fail('COUNT_MISMATCH', s, `two control totals CNT+${qualifier} disagree`, i + 1);
          message[key] = Number(value);
          this.#cntAt = { position: s.position, line: s.line, tag: s.tag };
        }
        return;
      }
      default:
        if (Object.hasOwn(PAXLST_SEGMENTS, s.tag)) return this.#misplaced(s);
        this.#passedOver('UNKNOWN_SEGMENT', s, 'a segment the PAXLST guide does not define: passed over');
    }
  }

  #party(s: SegmentFields, party: PaxlstParty): void {
    if (s.tag === 'CTA') {
      const contact = (s.components(1) > 1 ? s.get(1, 1) : s.get(1, 0)).trim();
      if (contact !== '') party.contact = contact;
      return;
    }
    for (let i = 0; i < s.count; i++) {
      const number = s.get(i, 0).trim();
      const channel = s.get(i, 1).trim();
      if (number === '') continue;
      if (channel === 'TE') party.phone ??= number;
      else if (channel === 'FX') party.fax ??= number;
      else if (channel === 'EM') party.email ??= number;
    }
  }

  #nad(s: SegmentFields): void {
    this.#closeTraveller();
    const message = this.#message!;
    const qualifier = first(s, 0);
    const known = ROLES[qualifier];
    const givenNames: string[] = [];
    for (let i = 1, n = s.components(3); i < n; i++) {
      const given = s.get(3, i).trim();
      if (given === '') continue;
      if (given.indexOf(' ') === -1) givenNames.push(given);
      else for (const part of given.split(/\s+/)) givenNames.push(part);
    }
    const traveller: PaxlstTraveller = {
      index: this.#travellers.length + 1,
      message: this.#messages.length,
      segment: s.position,
      line: s.line,
      role: known?.role ?? (message.list === 'crew' ? 'crew' : 'passenger'),
      qualifier,
      inTransit: known?.inTransit ?? false,
      surname: first(s, 3),
      givenNames,
      documents: [],
      references: [],
      issues: [],
    };
    if (s.count > 4) this.#address(s, traveller);
    this.#traveller = traveller;
    this.#document = undefined;
    this.#context = 'traveller';
    this.#travellers.push(traveller);
    message.travellers.push(traveller);
    if (known === undefined) this.#travellerIssue('UNKNOWN_CODE', s, 'a party qualifier (NAD 3035) that is neither a passenger’s nor a crew member’s', 1);
    if (traveller.surname === '') this.#travellerIssue('TRAVELLER_WITHOUT_NAME', s, 'the traveller has no surname (NAD C080)', 4);
  }

  #address(s: SegmentFields, traveller: PaxlstTraveller): void {
    const address: NonNullable<PaxlstTraveller['address']> = {};
    const street = joined(s, 4);
    if (street !== '') address.street = street;
    const city = first(s, 5);
    if (city !== '') address.city = city;
    const region = first(s, 6, 0) || first(s, 6, 3);
    if (region !== '') address.region = region;
    const postcode = first(s, 7);
    if (postcode !== '') address.postcode = postcode;
    const country = first(s, 8);
    if (country !== '') address.country = country;
    if (Object.keys(address).length > 0) traveller.address = address;
  }

  /** A traveller is complete: what it lacks to be checked becomes its issues. */
  #closeTraveller(): void {
    const t = this.#traveller;
    if (t === undefined) return;
    const docs = t.documents;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      if (d.number !== '' && d.issuingState === undefined) {
        t.issues.push(issue('MISSING_SEGMENT', { position: d.segment, line: this.#docLines[i] ?? 0, tag: 'DOC' }, 'the document has no issuing state (LOC+91)'));
      }
    }
    this.#docLines.length = 0;
    this.#traveller = undefined;
    this.#document = undefined;
  }

  /** The line of each DOC of the traveller being read, by its index in the traveller's documents. */
  readonly #docLines: number[] = [];

  #doc(s: SegmentFields): void {
    if (this.#context !== 'traveller' && this.#context !== 'document') return this.#misplaced(s);
    const code = first(s, 0, 0).toUpperCase();
    const number = first(s, 1, 0).toUpperCase();
    let documentType = PAXLST_DOCUMENT_TYPES[code];
    if (documentType === undefined) {
      this.#warn('UNKNOWN_CODE', s, 'a document code (DOC 1001) the guide does not list: checked as OTHER', 1);
      documentType = 'OTHER';
    }
    const document: PaxlstDocument = { code, documentType, number, segment: s.position };
    this.#docLines[this.#traveller!.documents.length] = s.line;
    if (number === '') this.#travellerIssue('DOCUMENT_WITHOUT_NUMBER', s, 'the travel document has no number', 2);
    this.#traveller!.documents.push(document);
    this.#document = document;
    this.#context = 'document';
  }

  #dtm(s: SegmentFields): void {
    const qualifier = first(s, 0, 0);
    const value = first(s, 0, 1);
    const format = first(s, 0, 2);
    switch (this.#context) {
      case 'transport': {
        if (qualifier !== '189' && qualifier !== '232') return this.#skipped(s);
        const leg = this.#leg;
        if (leg === undefined) return this.#misplaced(s);
        const at = isoDate(value, format, 'window', this.#now);
        if (at === undefined) return this.#warn('BAD_DATE', s, qualifier === '189' ? 'the departure time cannot be read' : 'the arrival time cannot be read', 1);
        if (qualifier === '189') {
          // After a LOC+92 (a stop), 189 is the departure of the leg that starts there.
          leg.departsAt = at;
        } else {
          const legs = this.#flight!.legs;
          const arriving = this.#lastLoc === '92' && legs.length > 1 ? legs[legs.length - 2]! : leg;
          arriving.arrivesAt = at;
        }
        return;
      }
      case 'traveller': {
        if (qualifier !== '329') return this.#skipped(s);
        const date = isoDate(value, format, 'birth', this.#now);
        if (date === undefined || date.length !== 10) return this.#travellerIssue('BAD_DATE', s, 'the date of birth is not a date', 1);
        if (!isPossibleBirth(date, this.#now)) return this.#travellerIssue('BAD_DATE', s, 'the date of birth is after today or more than 150 years ago', 1);
        // Which of two to search cannot be told: searched on the wrong one, the traveller could read as clear.
        const t = this.#traveller!;
        if (t.dateOfBirth !== undefined && t.dateOfBirth !== date) return this.#travellerIssue('BAD_DATE', s, 'a second date of birth, not the first one', 1);
        t.dateOfBirth = date;
        return;
      }
      case 'document': {
        if (qualifier !== '36' && qualifier !== '182') {
          // A date of birth after the document: the guide puts it before, but it is the traveller's.
          if (qualifier === '329') {
            this.#context = 'traveller';
            this.#dtm(s);
            this.#context = 'document';
            return;
          }
          return this.#skipped(s);
        }
        const date = isoDate(value, format, 'window', this.#now);
        if (date === undefined) return this.#warn('BAD_DATE', s, qualifier === '36' ? 'the document’s expiry date is not a date' : 'the document’s issue date is not a date', 1);
        if (qualifier === '36') this.#document!.expiresOn = date.slice(0, 10);
        else this.#document!.issuedOn = date.slice(0, 10);
        return;
      }
      case 'header':
      case 'party':
        return this.#skipped(s);
      default:
        return this.#misplaced(s);
    }
  }

  #loc(s: SegmentFields): void {
    const qualifier = first(s, 0);
    const code = first(s, 1, 0).toUpperCase();
    const name = first(s, 1, 3);
    if (this.#context === 'transport') {
      const flight = this.#flight!;
      this.#lastLoc = qualifier;
      if (qualifier === '125') {
        this.#leg = { ...(code !== '' ? { departure: code } : {}) };
        flight.legs.push(this.#leg);
      } else if (qualifier === '87') {
        if (this.#leg === undefined || this.#leg.arrival !== undefined) {
          this.#leg = {};
          flight.legs.push(this.#leg);
        }
        if (code !== '') this.#leg.arrival = code;
      } else if (qualifier === '92') {
        if (this.#leg === undefined) {
          this.#leg = {};
          flight.legs.push(this.#leg);
        }
        if (code !== '') this.#leg.arrival = code;
        this.#leg = { ...(code !== '' ? { departure: code } : {}) };
        flight.legs.push(this.#leg);
      } else {
        this.#skipped(s);
      }
      return;
    }
    if (this.#context !== 'traveller' && this.#context !== 'document') return this.#misplaced(s);
    const t = this.#traveller!;
    const place = { ...(code !== '' ? { code } : {}), ...(name !== '' ? { name } : {}) };
    switch (qualifier) {
      case '91':
        if (this.#document === undefined) return this.#misplaced(s);
        if (code !== '') this.#document.issuingState = code;
        return;
      case '22':
        if (code !== '') t.clearance = code;
        return;
      case '178':
        if (code !== '') t.embarkation = code;
        return;
      case '179':
        if (code !== '') t.debarkation = code;
        return;
      case '174':
        t.residence = place;
        return;
      case '180':
        t.placeOfBirth = place;
        return;
      default:
        return this.#skipped(s);
    }
  }
}

function read(options: ParsePaxlstOptions): { tokenizer: EdifactTokenizer; reader: PaxlstReader; onSegment: (s: SegmentFields) => void } {
  refuseUnknownOptions('parsePaxlst', options, OPTION_NAMES);
  if (options.now !== undefined && !(options.now instanceof Date && Number.isFinite(options.now.getTime()))) {
    throw new ConfigError('parsePaxlst: option `now` must be a valid Date');
  }
  const max = options.maxSegmentLength;
  if (max !== undefined && !(Number.isInteger(max) && max >= 64 && max <= 1_048_576)) {
    throw new ConfigError('parsePaxlst: option `maxSegmentLength` must be an integer from 64 to 1048576');
  }
  const most = options.maxSegments ?? 500_000;
  if (!(Number.isInteger(most) && most >= 1)) throw new ConfigError('parsePaxlst: option `maxSegments` must be a positive integer');
  const tokenizer = new EdifactTokenizer(max !== undefined ? { maxSegmentLength: max } : {});
  const reader = new PaxlstReader(options);
  return {
    tokenizer,
    reader,
    onSegment: (s) => {
      if (s.position > most) fail('TOO_MANY_SEGMENTS', s, `the interchange runs over ${most} segments (option maxSegments)`);
      reader.push(s, tokenizer.separators!);
    },
  };
}

/**
 * Reads a PAXLST interchange (UN/EDIFACT, directories D02B and D05B, as the WCO/IATA/ICAO implementation guide lays it
 * out) into a typed manifest: the interchange and message references, the reporting party, the flights and their
 * legs, and every traveller with names, sex, date of birth, nationality, places, documents and references.
 *
 * Given text (or bytes), it answers at once; given a stream (a Node `Readable`, a web `ReadableStream`, any async
 * iterable of strings or bytes), it reads it chunk by chunk and answers a promise. Bytes are decoded by the character
 * set the UNB declares.
 *
 * Throws an {@link EdifactError} (code `INVALID_EDIFACT`) naming the segment position, line and tag, never a
 * value, for what makes the interchange unreadable: an unterminated segment, a missing or miscounted envelope
 * segment (UNT, UNE and UNZ counts and references are checked, and CNT totals against the travellers), a message that
 * is not a PAXLST. What makes one traveller unfit to check (a date of birth that cannot be, a document without its
 * number) stays with that traveller as its `issues`; unknown and misplaced segments are `warnings`.
 * @example
 * ```ts
 * import { parsePaxlst } from 'borderlink/manifests';
 *
 * const manifest = parsePaxlst(
 *   "UNB+UNOA:4+AIRLINE1+UTOAPI+250301:0900+42'UNH+1+PAXLST:D:05B:UN:IATA+LH400/250301/1000+01:F'BGM+745'" +
 *     "NAD+MS+++OPS DESK'TDT+20+LH400+++LH'LOC+125+FRA'DTM+189:2503011000:201'LOC+87+JFK'DTM+232:2503011330:201'" +
 *     "NAD+FL+++ERIKSSON:ANNA MARIA'ATT+2++F'DTM+329:740812'NAT+2+UTO'DOC+P+L898902C3'DTM+36:300415'LOC+91+UTO'" +
 *     "CNT+42:1'UNT+17+1'UNZ+1+42'",
 * );
 * manifest.travellers[0]?.documents[0]?.number; // 'L898902C3'
 * ```
 */
export function parsePaxlst(input: string | Uint8Array, options?: ParsePaxlstOptions): PaxlstManifest;
export function parsePaxlst(input: AsyncIterable<string | Uint8Array>, options?: ParsePaxlstOptions): Promise<PaxlstManifest>;
export function parsePaxlst(input: string | Uint8Array | AsyncIterable<string | Uint8Array>, options: ParsePaxlstOptions = {}): PaxlstManifest | Promise<PaxlstManifest> {
  const { tokenizer, reader, onSegment } = read(options);
  if (typeof input === 'string' || input instanceof Uint8Array) {
    writeInPlace(tokenizer, typeof input === 'string' ? input : decodeEdifactBytes(input), onSegment);
    endInPlace(tokenizer, onSegment);
    return reader.finish();
  }
  if (input === null || typeof input !== 'object' || typeof (input as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function') {
    throw new ConfigError('parsePaxlst: the input must be a string, bytes, or an async iterable of them (a stream)');
  }
  return (async () => {
    for await (const text of decodeEdifact(input)) writeInPlace(tokenizer, text, onSegment);
    endInPlace(tokenizer, onSegment);
    return reader.finish();
  })();
}
