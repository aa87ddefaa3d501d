// writePaxlst: a small PAXLST writer for test harnesses (a vendor's, and ours: the round-trip property of
// borderlink/manifests). It writes the segment layout of the WCO/IATA/ICAO guide from a plain description of a
// flight's travellers; it is written apart from the parser on purpose, so the two can check each other.
import { ConfigError } from 'borderlink';
import type { EdifactSeparators, PaxlstPlace, PaxlstReference } from 'borderlink/manifests';

/** A traveller to write. */
export interface PaxlstDraftTraveller {
  /** NAD qualifier: `FL` passenger, `FM` crew, `DDT` / `DDU` in transit. @default 'FL' in a passenger list, 'FM' in a crew list */
  qualifier?: 'FL' | 'FM' | 'DDT' | 'DDU';
  surname: string;
  /** @default [] */
  givenNames?: string[];
  /** ATT+2; `U` for unspecified. */
  sex?: 'M' | 'F' | 'X' | 'U';
  /** `YYYY-MM-DD`: DTM+329. */
  dateOfBirth?: string;
  /** NAT+2. */
  nationality?: string;
  /** LOC+180 / LOC+174. */
  placeOfBirth?: PaxlstPlace;
  residence?: PaxlstPlace;
  /** LOC+178 / LOC+179. */
  embarkation?: string;
  debarkation?: string;
  /** EMP: a crew member's function code. */
  crewFunction?: string;
  /** RFF segments, e.g. `{ qualifier: 'AVF', value: 'ABC123' }`. @default [] */
  references?: PaxlstReference[];
  /** DOC groups. @default [] */
  documents?: { code?: string; number: string; issuingState?: string; expiresOn?: string }[];
}

/** A message (UNH to UNT) to write. */
export interface PaxlstDraftMessage {
  /** UNH 0062. @default its number in the interchange */
  reference?: string;
  /** BGM 1001: 745 passengers, 250 crew. @default '745' */
  documentCode?: string;
  /** RFF+TN. */
  transactionReference?: string;
  /** UNH 0068. */
  commonAccessReference?: string;
  /** UNH S010. */
  sequence?: { number: number; last: boolean };
  /** NAD+MS (with COM numbers). */
  reportingParty?: { name: string; phone?: string; email?: string };
  flights: { number: string; carrier?: string; legs: { departure?: string; departsAt?: string; arrival?: string; arrivesAt?: string }[] }[];
  travellers: PaxlstDraftTraveller[];
  /** Write CNT+42 / CNT+41 with the travellers' counts (`true`), none (`false`), or these totals (a wrong one, for a test). @default true */
  counts?: boolean | { passengers?: number; crew?: number };
}

/** An interchange to write. */
export interface PaxlstDraft {
  /** UNB S001. @default 'UNOA' */
  syntax?: string;
  /** @default 'CARRIER' */
  sender?: string;
  /** @default 'STATE' */
  recipient?: string;
  /** UNB 0020. @default '1' */
  reference?: string;
  /** `YYYY-MM-DDTHH:MM`. @default '2025-01-01T00:00' */
  preparedAt?: string;
  /** Put the messages in a UNG/UNE functional group with this reference. */
  group?: string;
  messages: PaxlstDraftMessage[];
}

/** How {@link writePaxlst} lays the text out. */
export interface WritePaxlstOptions {
  /** Separators other than the defaults: written in a UNA. */
  separators?: Partial<EdifactSeparators>;
  /** Write a UNA even with the default separators. @default false */
  una?: boolean;
  /** A line break after each segment terminator (`'\r\n'` for CRLF). @default '\n' */
  lineBreak?: '' | '\n' | '\r\n';
  /** Wrap the text at this column, as Type B messaging does (line breaks inside segments). */
  wrapAt?: number;
  /** Dates as YYMMDD (the guide's examples) or CCYYMMDD with format 102. @default 'long' */
  dates?: 'short' | 'long';
  /** Write the UNT, UNE and UNZ counts one too high: a broken interchange, for a test of its refusal. @default false */
  miscount?: boolean;
}

const DEFAULTS: EdifactSeparators = { component: ':', element: '+', decimal: '.', release: '?', repetition: ' ', segment: "'" };

/**
 * A PAXLST interchange, as text, from a plain description of its messages and travellers: for tests and harnesses
 * that need manifests an airline would send. Values are escaped with the release character as needed.
 * @example
 * ```ts
 * import { writePaxlst } from 'borderlink/testing';
 * import { parsePaxlst } from 'borderlink/manifests';
 *
 * const text = writePaxlst({
 *   messages: [{
 *     flights: [{ number: 'LH400', carrier: 'LH', legs: [{ departure: 'FRA', departsAt: '2025-03-01T10:00', arrival: 'JFK', arrivesAt: '2025-03-01T13:30' }] }],
 *     travellers: [{ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], documents: [{ number: 'L898902C3', issuingState: 'UTO' }] }],
 *   }],
 * });
 * parsePaxlst(text).travellers.length; // 1
 * ```
 */
export function writePaxlst(draft: PaxlstDraft, options: WritePaxlstOptions = {}): string {
  const sep: EdifactSeparators = { ...DEFAULTS, ...(options.separators ?? {}) };
  const roles = [sep.component, sep.element, sep.release, sep.segment];
  if (roles.some((r) => r.length !== 1) || new Set(roles).size !== roles.length) {
    throw new ConfigError('writePaxlst: option `separators` must give four different single characters');
  }
  const specials = new Set(roles);
  const esc = (value: string) => [...value].map((c) => (specials.has(c) ? sep.release + c : c)).join('');
  const lineBreak = options.lineBreak ?? '\n';
  const short = options.dates === 'short';
  const miss = options.miscount === true ? 1 : 0;
  const segments: string[] = [];
  const seg = (tag: string, ...elements: (string | readonly string[])[]) => {
    const written = elements.map((e) => (typeof e === 'string' ? esc(e) : e.map(esc).join(sep.component)));
    while (written.length > 0 && written[written.length - 1] === '') written.pop();
    segments.push([tag, ...written].join(sep.element));
  };
  const date = (iso: string): [string, string] => {
    const digits = iso.replace(/[-T:]/g, '');
    if (short) return [digits.slice(2), digits.length > 8 ? '201' : '101'];
    return [digits, digits.length > 8 ? '203' : '102'];
  };
  const dtm = (qualifier: string, iso: string) => {
    const [value, format] = date(iso);
    seg('DTM', short && format === '101' ? [qualifier, value] : [qualifier, value, format]);
  };

  const prepared = date(draft.preparedAt ?? '2025-01-01T00:00')[0];
  const preparedShort = prepared.length === 12 ? prepared.slice(2) : prepared;
  seg('UNB', [draft.syntax ?? 'UNOA', '4'], [draft.sender ?? 'CARRIER'], [draft.recipient ?? 'STATE'], [preparedShort.slice(0, 6), preparedShort.slice(6, 10)], draft.reference ?? '1');
  if (draft.group !== undefined) seg('UNG', 'PAXLST', [draft.sender ?? 'CARRIER'], [draft.recipient ?? 'STATE'], [preparedShort.slice(0, 6), preparedShort.slice(6, 10)], draft.group, 'UN', ['D', '05B']);
  draft.messages.forEach((m, i) => {
    const start = segments.length;
    const reference = m.reference ?? String(i + 1);
    seg('UNH', reference, ['PAXLST', 'D', '05B', 'UN', 'IATA'], m.commonAccessReference ?? '', m.sequence !== undefined ? [String(m.sequence.number).padStart(2, '0'), m.sequence.last ? 'F' : 'C'] : '');
    seg('BGM', m.documentCode ?? '745');
    if (m.transactionReference !== undefined) seg('RFF', ['TN', m.transactionReference]);
    if (m.reportingParty !== undefined) {
      seg('NAD', 'MS', '', '', [m.reportingParty.name]);
      const numbers = [...(m.reportingParty.phone !== undefined ? [[m.reportingParty.phone, 'TE']] : []), ...(m.reportingParty.email !== undefined ? [[m.reportingParty.email, 'EM']] : [])];
      if (numbers.length > 0) seg('COM', ...numbers);
    }
    for (const flight of m.flights) {
      seg('TDT', '20', flight.number, '', '', flight.carrier !== undefined ? [flight.carrier] : '');
      flight.legs.forEach((leg, l) => {
        const last = l === flight.legs.length - 1;
        const next = flight.legs[l + 1];
        // A stop between two legs is one LOC+92 (arrival of one, departure of the next) when they share the airport.
        if (l === 0 && leg.departure !== undefined) {
          seg('LOC', '125', leg.departure);
          if (leg.departsAt !== undefined) dtm('189', leg.departsAt);
        }
        if (!last && next !== undefined && leg.arrival !== undefined && leg.arrival === next.departure) {
          seg('LOC', '92', leg.arrival);
          if (leg.arrivesAt !== undefined) dtm('232', leg.arrivesAt);
          if (next.departsAt !== undefined) dtm('189', next.departsAt);
        } else {
          if (leg.arrival !== undefined) {
            seg('LOC', '87', leg.arrival);
            if (leg.arrivesAt !== undefined) dtm('232', leg.arrivesAt);
          }
          if (next?.departure !== undefined) {
            seg('LOC', '125', next.departure);
            if (next.departsAt !== undefined) dtm('189', next.departsAt);
          }
        }
      });
    }
    const crewList = (m.documentCode ?? '745') === '250';
    let passengers = 0;
    let crew = 0;
    for (const t of m.travellers) {
      const qualifier = t.qualifier ?? (crewList ? 'FM' : 'FL');
      if (qualifier === 'FM' || qualifier === 'DDU') crew++;
      else passengers++;
      seg('NAD', qualifier, '', '', [t.surname, ...(t.givenNames !== undefined && t.givenNames.length > 0 ? [t.givenNames.join(' ')] : [])]);
      if (t.sex !== undefined) seg('ATT', '2', '', [t.sex]);
      if (t.dateOfBirth !== undefined) dtm('329', t.dateOfBirth);
      if (t.embarkation !== undefined) seg('LOC', '178', t.embarkation);
      if (t.debarkation !== undefined) seg('LOC', '179', t.debarkation);
      if (t.residence !== undefined) seg('LOC', '174', [t.residence.code ?? '', '', '', t.residence.name ?? '']);
      if (t.placeOfBirth !== undefined) seg('LOC', '180', [t.placeOfBirth.code ?? '', '', '', t.placeOfBirth.name ?? '']);
      if (t.crewFunction !== undefined) seg('EMP', '1', [t.crewFunction, '110', '111']);
      if (t.nationality !== undefined) seg('NAT', '2', t.nationality);
      for (const r of t.references ?? []) seg('RFF', [r.qualifier, r.value]);
      for (const d of t.documents ?? []) {
        seg('DOC', [d.code ?? 'P', '110', '111'], d.number);
        if (d.expiresOn !== undefined) dtm('36', d.expiresOn);
        if (d.issuingState !== undefined) seg('LOC', '91', d.issuingState);
      }
    }
    const counts = m.counts ?? true;
    if (counts !== false) {
      const declared = counts === true ? { passengers, crew } : counts;
      const totals: string[][] = [];
      if (declared.passengers !== undefined && (counts !== true || passengers > 0 || !crewList)) totals.push(['42', String(declared.passengers)]);
      if (declared.crew !== undefined && (counts !== true || crew > 0)) totals.push(['41', String(declared.crew)]);
      if (totals.length > 0) seg('CNT', ...totals);
    }
    seg('UNT', String(segments.length - start + 1 + miss), reference);
  });
  if (draft.group !== undefined) seg('UNE', String(draft.messages.length + miss), draft.group);
  seg('UNZ', String((draft.group !== undefined ? 1 : draft.messages.length) + miss), draft.reference ?? '1');

  const custom = options.separators !== undefined || options.una === true;
  const una = custom ? `UNA${sep.component}${sep.element}${sep.decimal}${sep.release}${sep.repetition}${sep.segment}${lineBreak}` : '';
  let text = una + segments.map((s) => s + sep.segment + lineBreak).join('');
  if (options.wrapAt !== undefined) {
    const width = options.wrapAt;
    const lines: string[] = [];
    for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
    text = lines.join('\r\n');
  }
  return text;
}
