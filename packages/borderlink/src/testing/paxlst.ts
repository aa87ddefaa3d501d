// writePaxlst: a small PAXLST writer for test harnesses (a vendor's, and ours: the round-trip property of
// borderlink/manifests). It writes the segment layout of the WCO/IATA/ICAO guide from a plain description of a
// flight's travellers; it is written apart from the parser on purpose, so the two can check each other.
import { ConfigError } from 'borderlink';
import type { EdifactSeparators, PaxlstPlace, PaxlstReference } from 'borderlink/manifests';

/** A traveller to write. */
export interface PaxlstDraftTraveller {
  /** NAD qualifier: `FL` passenger, `FM` crew, `DDT` / `DDU` in transit. @default 'FL' in a passenger list, 'FM' in a crew list */
  qualifier?: 'FL' | 'FM' | 'DDT' | 'DDU' | undefined;
  surname: string;
  /** @default [] */
  givenNames?: string[] | undefined;
  /** ATT+2; `U` for unspecified. */
  sex?: 'M' | 'F' | 'X' | 'U' | undefined;
  /** `YYYY-MM-DD`: DTM+329. */
  dateOfBirth?: string | undefined;
  /** NAT+2. */
  nationality?: string | undefined;
  /** LOC+180 / LOC+174. */
  placeOfBirth?: PaxlstPlace | undefined;
  residence?: PaxlstPlace | undefined;
  /** LOC+178 / LOC+179. */
  embarkation?: string | undefined;
  debarkation?: string | undefined;
  /** EMP: a crew member's function code. */
  crewFunction?: string | undefined;
  /** RFF segments, e.g. `{ qualifier: 'AVF', value: 'ABC123' }`. @default [] */
  references?: PaxlstReference[] | undefined;
  /** DOC groups. @default [] */
  documents?: { code?: string | undefined; number: string; issuingState?: string | undefined; expiresOn?: string | undefined }[] | undefined;
}

/** A message (UNH to UNT) to write. */
export interface PaxlstDraftMessage {
  /** UNH 0062. @default its number in the interchange */
  reference?: string | undefined;
  /** BGM 1001: 745 passengers, 250 crew. @default '745' */
  documentCode?: string | undefined;
  /** RFF+TN. */
  transactionReference?: string | undefined;
  /** UNH 0068. */
  commonAccessReference?: string | undefined;
  /** UNH S010. */
  sequence?: { number: number; last: boolean } | undefined;
  /** NAD+MS (with COM numbers). */
  reportingParty?: { name: string; phone?: string | undefined; email?: string | undefined } | undefined;
  flights: { number: string; carrier?: string | undefined; legs: { departure?: string | undefined; departsAt?: string | undefined; arrival?: string | undefined; arrivesAt?: string | undefined }[] }[];
  travellers: PaxlstDraftTraveller[];
  /** Write CNT+42 / CNT+41 with the travellers' counts (`true`), none (`false`), or these totals (a wrong one, for a test). @default true */
  counts?: boolean | { passengers?: number | undefined; crew?: number | undefined } | undefined;
}

/** An interchange to write. */
export interface PaxlstDraft {
  /** UNB S001. @default 'UNOA' */
  syntax?: string | undefined;
  /** @default 'CARRIER' */
  sender?: string | undefined;
  /** @default 'STATE' */
  recipient?: string | undefined;
  /** UNB 0020. @default '1' */
  reference?: string | undefined;
  /** `YYYY-MM-DDTHH:MM`. @default '2025-01-01T00:00' */
  preparedAt?: string | undefined;
  /** Put the messages in a UNG/UNE functional group with this reference. */
  group?: string | undefined;
  messages: PaxlstDraftMessage[];
}

/** How {@link writePaxlst} lays the text out. */
export interface WritePaxlstOptions {
  /** Separators other than the defaults: written in a UNA. */
  separators?: { [K in keyof EdifactSeparators]?: EdifactSeparators[K] | undefined } | undefined;
  /** Write a UNA even with the default separators. @default false */
  una?: boolean | undefined;
  /** A line break after each segment terminator (`'\r\n'` for CRLF). @default '\n' */
  lineBreak?: '' | '\n' | '\r\n' | undefined;
  /** Wrap the text at this column, as Type B messaging does (line breaks inside segments). */
  wrapAt?: number | undefined;
  /** Dates as YYMMDD (the guide's examples) or CCYYMMDD with format 102. @default 'long' */
  dates?: 'short' | 'long' | undefined;
  /** Write the UNT, UNE and UNZ counts one too high: a broken interchange, for a test of its refusal. @default false */
  miscount?: boolean | undefined;
}

const DEFAULTS: EdifactSeparators = { component: ':', element: '+', decimal: '.', release: '?', repetition: ' ', segment: "'" };

// A draft from JavaScript may hold anything: the fields the writer walks are checked first, so a wrong one is a
// ConfigError naming it, not a TypeError half way through the text.
type Check = (value: unknown) => string | undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined ? undefined : check(v);
const text: Check = (v) => (typeof v === 'string' ? undefined : 'is not a string');
const whole: Check = (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'is not a whole number');
const flag: Check = (v) => (typeof v === 'boolean' ? undefined : 'is not true or false');
const record =
  (checks: Readonly<Record<string, Check>>): Check =>
  (v) => {
    if (!isObject(v)) return 'is not an object';
    for (const [name, check] of Object.entries(checks)) {
      const problem = check(v[name]);
      if (problem !== undefined) return `\`${name}\` ${problem}`;
    }
    return undefined;
  };
const list =
  (item: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'is not an array';
    for (const [i, element] of v.entries()) {
      const problem = item(element);
      if (problem !== undefined) return `[${i}] ${problem}`;
    }
    return undefined;
  };
const place = optional(record({ code: optional(text), name: optional(text) }));
const draftTraveller = record({
  qualifier: optional(text),
  surname: text,
  givenNames: optional(list(text)),
  sex: optional(text),
  dateOfBirth: optional(text),
  nationality: optional(text),
  placeOfBirth: place,
  residence: place,
  embarkation: optional(text),
  debarkation: optional(text),
  crewFunction: optional(text),
  references: optional(list(record({ qualifier: text, value: text }))),
  documents: optional(list(record({ code: optional(text), number: text, issuingState: optional(text), expiresOn: optional(text) }))),
});
const draftMessage = record({
  reference: optional(text),
  documentCode: optional(text),
  transactionReference: optional(text),
  commonAccessReference: optional(text),
  sequence: optional(record({ number: whole, last: flag })),
  reportingParty: optional(record({ name: text, phone: optional(text), email: optional(text) })),
  flights: list(record({ number: text, carrier: optional(text), legs: list(record({ departure: optional(text), departsAt: optional(text), arrival: optional(text), arrivesAt: optional(text) })) })),
  travellers: list(draftTraveller),
  counts: optional((v) => (typeof v === 'boolean' ? undefined : record({ passengers: optional(whole), crew: optional(whole) })(v))),
});
const draftShape = record({
  syntax: optional(text),
  sender: optional(text),
  recipient: optional(text),
  reference: optional(text),
  preparedAt: optional(text),
  group: optional(text),
  messages: list(draftMessage),
});
const optionsShape = record({
  separators: optional(record({ component: optional(text), element: optional(text), decimal: optional(text), release: optional(text), repetition: optional(text), segment: optional(text) })),
  una: optional(flag),
  lineBreak: optional((v) => (v === '' || v === '\n' || v === '\r\n' ? undefined : "is not '', '\\n' or '\\r\\n'")),
  wrapAt: optional((v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : 'is not a positive whole number')),
  dates: optional((v) => (v === 'short' || v === 'long' ? undefined : "is not 'short' or 'long'")),
  miscount: optional(flag),
});

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
  const draftWrong = draftShape(draft);
  if (draftWrong !== undefined) throw new ConfigError(`writePaxlst: the draft ${draftWrong}`);
  const optionsWrong = optionsShape(options);
  if (optionsWrong !== undefined) throw new ConfigError(`writePaxlst: the options ${optionsWrong}`);
  // A separator given as undefined is the default, as one not given is.
  const sep: EdifactSeparators = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options.separators ?? {}).filter(([, c]) => c !== undefined)) };
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
