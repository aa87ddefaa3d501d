// formatCusres: the state's answer to a PAXLST, board / no-board per traveller, as a CUSRES interchange in the
// layout of the iAPI guide. Rule 1 at the gate: only a clear result (every source asked, every answer NO_HIT) is
// "board"; an INCOMPLETE, a possible hit, an error, or a traveller with no answer at all is "contact".
import { ConfigError, isClear, type CheckResult, type Source } from 'borderlink';
import { DEFAULT_SEPARATORS } from './edifact';
import { refuseUnknownOptions } from './options';
import { manifestProblem, resultProblem, travellerProblem } from './shapes';
import type { ScreenedTraveller } from './screen';
import type { PaxlstManifest, PaxlstMessage, PaxlstTraveller } from './types';

/** The answers a state gives one traveller. */
export const BOARDING_ANSWERS = Object.freeze(['BOARD', 'NO_BOARD', 'CONTACT'] as const);

/** `BOARD`: cleared; `NO_BOARD`: a hit; `CONTACT`: the carrier must contact the state before boarding (inhibited). */
export type BoardingAnswer = (typeof BOARDING_ANSWERS)[number];

/**
 * The ERC codes of each answer, as the iAPI guide's CUSRES uses them (`0Z` ok to board, `1Z` do not board, `2Z`
 * contact the authority). A state whose national guide differs passes its own in `codes`.
 */
export const CUSRES_ANSWER_CODES: Readonly<Record<BoardingAnswer, string>> = Object.freeze({ BOARD: '0Z', NO_BOARD: '1Z', CONTACT: '2Z' });

// From the least to the most restrictive: a traveller answered twice keeps the stricter.
const RANK: Readonly<Record<BoardingAnswer, number>> = { BOARD: 0, CONTACT: 1, NO_BOARD: 2 };

/**
 * The sources a traveller must have been searched in, and cleared by, to board: the travel document (SLTD) and the
 * person (NOMINAL). A screen with `subjects: 'person'`, or a traveller without a document, is never "board".
 */
export const BOARDING_SOURCES: readonly Source[] = Object.freeze(['SLTD', 'NOMINAL'] as const);

/**
 * The answer a screening result gives at the gate: `BOARD` only for a clear result ({@link isClear}: every requested
 * source asked and answered `NO_HIT`; every outcome `NO_HIT` and no hit) that searched the traveller's document and
 * the traveller ({@link BOARDING_SOURCES}), for a traveller read whole (no `issues`, a document) when the row names
 * it; `NO_BOARD` for a `HIT` verdict or a `HIT` outcome, whatever else the row holds; `CONTACT` for anything else
 * (`POSSIBLE_HIT`, `INCOMPLETE`, an error, no result, a traveller whose document or person was not searched).
 * @example
 * ```ts
 * boardingAnswer({ error: new TimeoutError('late') }); // 'CONTACT'
 * ```
 */
export function boardingAnswer(row: { result?: CheckResult | undefined; error?: unknown; traveller?: PaxlstTraveller | undefined }): BoardingAnswer {
  if (row === null || typeof row !== 'object') throw new ConfigError('boardingAnswer: the row must be an object with its `result` or its `error`');
  const { result, traveller } = row;
  const problem = result === undefined ? undefined : resultProblem(result);
  if (problem !== undefined) throw new ConfigError(`boardingAnswer: the row's \`result\` ${problem} (a CheckResult)`);
  const travellerWrong = traveller === undefined ? undefined : travellerProblem(traveller);
  if (travellerWrong !== undefined) throw new ConfigError(`boardingAnswer: the row's \`traveller\` ${travellerWrong}`);
  // A result is read for itself, not trusted to agree with its verdict: it may come from a cache or a vendor's own
  // code. A hit anywhere in it is never lost, and a failure anywhere in it is never a clear.
  if (result !== undefined && (result.verdict === 'HIT' || result.outcomes.some((o) => o.status === 'HIT'))) return 'NO_BOARD';
  if (row.error !== undefined || result === undefined) return 'CONTACT';
  if (!isClear(result) || result.hits.length > 0 || result.outcomes.some((o) => o.status !== 'NO_HIT')) return 'CONTACT';
  // A traveller with issues was not read whole (a document passed over, a date that cannot be): its clear is of part.
  if (traveller !== undefined && (traveller.issues.length > 0 || traveller.documents.length === 0)) return 'CONTACT';
  const searched = new Set(result.outcomes.map((o) => o.source));
  return BOARDING_SOURCES.every((source) => searched.has(source)) ? 'BOARD' : 'CONTACT';
}

/** Options of {@link formatCusres}. */
export interface FormatCusresOptions {
  /** This answer's interchange control reference (UNB 0020, repeated in UNZ): yours, unique per answer (1–14 characters). */
  reference: string;
  /**
   * The manifest answered. Every traveller in it gets an answer, `CONTACT` when the results hold none for it (a
   * screen stopped half way), and the envelope answers its sender. Without it, only the travellers of `results`
   * are answered.
   */
  manifest?: PaxlstManifest | undefined;
  /** UNB sender (S002). @default the manifest's recipient, else 'STATE' */
  sender?: string | undefined;
  /** UNB recipient (S003). @default the manifest's sender, else 'CARRIER' */
  recipient?: string | undefined;
  /** UNB preparation date and time. @default now */
  preparedAt?: Date | undefined;
  /** ERC codes per answer, over {@link CUSRES_ANSWER_CODES}. */
  codes?: { [A in BoardingAnswer]?: string | undefined } | undefined;
  /** End each segment with a line break after its terminator. @default true */
  newlines?: boolean | undefined;
  /**
   * Mark the interchange as a test (UNB 0035 = 1), so the carrier's system does not act on it: for answers from a
   * demo or test gateway.
   * @default the manifest's own test indicator, else false
   */
  test?: boolean | undefined;
}

const OPTION_NAMES = ['reference', 'manifest', 'sender', 'recipient', 'preparedAt', 'codes', 'newlines', 'test'] as const;
const CODE = /^[A-Z0-9]{1,3}$/;
const REFERENCE = /^[A-Za-z0-9]{1,14}$/;

const SPECIALS = new RegExp(`[${[DEFAULT_SEPARATORS.release, DEFAULT_SEPARATORS.component, DEFAULT_SEPARATORS.element, DEFAULT_SEPARATORS.segment].map((c) => `\\${c}`).join('')}]`, 'g');
const esc = (value: string): string => value.replace(/[\r\n]/g, ' ').replace(SPECIALS, (c) => `${DEFAULT_SEPARATORS.release}${c}`);
const two = (n: number) => String(n).padStart(2, '0');

/** One answered traveller as the CUSRES carries it. */
interface Answered {
  traveller: PaxlstTraveller;
  answer: BoardingAnswer;
}

/**
 * The CUSRES interchange that answers a screened PAXLST: one CUSRES message per PAXLST message, each repeating its
 * references and flight, and per traveller an ERP group with the traveller's references, name and first document
 * and the ERC answer code (see {@link boardingAnswer} and {@link CUSRES_ANSWER_CODES}). Nothing of a gateway's
 * answer is copied into it: no free text, no hit details.
 * @example
 * ```ts
 * const answers: ScreenedTraveller[] = [];
 * for await (const row of screenPaxlst(client, manifest)) answers.push(row);
 * const cusres = formatCusres(answers, { reference: 'ANS0001', manifest });
 * ```
 */
export function formatCusres(results: Iterable<ScreenedTraveller>, options: FormatCusresOptions): string {
  refuseUnknownOptions('formatCusres', options, OPTION_NAMES);
  if (options === undefined || typeof options.reference !== 'string' || !REFERENCE.test(options.reference)) {
    throw new ConfigError('formatCusres: option `reference` must be 1 to 14 letters or digits');
  }
  if (options.codes !== undefined && (options.codes === null || typeof options.codes !== 'object')) throw new ConfigError('formatCusres: option `codes` must be an object');
  // An answer whose code is given as undefined keeps its default, as one not given does.
  const codes: Record<BoardingAnswer, string> = { ...CUSRES_ANSWER_CODES, ...Object.fromEntries(Object.entries(options.codes ?? {}).filter(([, code]) => code !== undefined)) };
  for (const answer of BOARDING_ANSWERS) {
    if (typeof codes[answer] !== 'string' || !CODE.test(codes[answer])) throw new ConfigError(`formatCusres: option \`codes.${answer}\` must be 1 to 3 capital letters or digits`);
  }
  if (codes.BOARD === codes.NO_BOARD || codes.BOARD === codes.CONTACT) {
    throw new ConfigError('formatCusres: option `codes` gives BOARD the code of another answer');
  }
  const preparedAt = options.preparedAt ?? new Date();
  if (!(preparedAt instanceof Date) || !Number.isFinite(preparedAt.getTime())) throw new ConfigError('formatCusres: option `preparedAt` must be a valid Date');
  for (const name of ['sender', 'recipient'] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 35)) throw new ConfigError(`formatCusres: option \`${name}\` must be 1 to 35 characters`);
  }
  const manifest = options.manifest;
  const manifestWrong = manifest === undefined ? undefined : manifestProblem(manifest);
  if (manifestWrong !== undefined) throw new ConfigError(`formatCusres: option \`manifest\` ${manifestWrong} (a manifest as parsePaxlst reads it)`);
  if (results === null || typeof results !== 'object' || typeof (results as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new ConfigError('formatCusres: the results must be an iterable of screened travellers');
  }

  // Keyed by the traveller's position in the interchange: unique, and the same object or a copy of it both match.
  const answers = new Map<number, Answered>();
  for (const row of results) {
    const problem = row === null || typeof row !== 'object' ? 'is not an object' : travellerProblem(row.traveller);
    if (problem !== undefined) throw new ConfigError(`formatCusres: a result ${row === null || typeof row !== 'object' ? problem : `\`traveller\` ${problem}`}`);
    const traveller = row.traveller;
    const known = manifest === undefined || manifest.travellers[traveller.index - 1]?.segment === traveller.segment;
    if (!known) throw new ConfigError('formatCusres: a result is for a traveller the manifest does not hold');
    const answer = boardingAnswer(row);
    const earlier = answers.get(traveller.segment);
    if (earlier === undefined || RANK[answer] > RANK[earlier.answer]) answers.set(traveller.segment, { traveller, answer });
  }
  if (manifest !== undefined) {
    for (const traveller of manifest.travellers) if (!answers.has(traveller.segment)) answers.set(traveller.segment, { traveller, answer: 'CONTACT' });
  }
  const ordered = [...answers.values()].sort((a, b) => a.traveller.segment - b.traveller.segment);
  const byMessage = new Map<number, Answered[]>();
  for (const a of ordered) {
    const list = byMessage.get(a.traveller.message) ?? [];
    list.push(a);
    byMessage.set(a.traveller.message, list);
  }

  const nl = options.newlines === false ? '' : '\n';
  const out: string[] = [];
  const seg = (...elements: (string | string[])[]) => {
    const written = elements.map((e) => (Array.isArray(e) ? e.map(esc).join(':') : esc(e)));
    while (written.length > 1 && written[written.length - 1] === '') written.pop();
    out.push(`${written.join('+')}'${nl}`);
  };
  const syntax = manifest?.interchange.syntax.identifier || 'UNOA';
  const at = preparedAt;
  out.push(`UNA:+.? '${nl}`);
  seg('UNB', [syntax, '4'], [options.sender ?? (manifest?.interchange.recipient || 'STATE')], [options.recipient ?? (manifest?.interchange.sender || 'CARRIER')], [
    `${two(at.getUTCFullYear() % 100)}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}`,
    `${two(at.getUTCHours())}${two(at.getUTCMinutes())}`,
  ], options.reference, ...((options.test ?? manifest?.interchange.test ?? false) ? ['', '', '', '', '', '1'] : []));
  let messages = 0;
  for (const [index, travellers] of [...byMessage.entries()].sort((a, b) => a[0] - b[0])) {
    messages++;
    const start = out.length;
    const paxlst: PaxlstMessage | undefined = manifest?.messages[index];
    seg('UNH', String(messages), ['CUSRES', 'D', paxlst?.version.release || '05B', 'UN', 'IATA']);
    seg('BGM', '962');
    if (paxlst?.transactionReference !== undefined) seg('RFF', ['TN', paxlst.transactionReference]);
    if (paxlst !== undefined) seg('RFF', ['ACW', paxlst.reference]);
    for (const flight of paxlst?.flights ?? []) {
      seg('TDT', '20', flight.number, '', '', flight.carrier !== undefined ? [flight.carrier] : '');
      for (const leg of flight.legs) {
        if (leg.departure !== undefined) {
          seg('LOC', '125', leg.departure);
          if (leg.departsAt !== undefined) seg('DTM', ['189', leg.departsAt.replace(/[-T:]/g, ''), leg.departsAt.length > 10 ? '203' : '102']);
        }
        if (leg.arrival !== undefined) {
          seg('LOC', '87', leg.arrival);
          if (leg.arrivesAt !== undefined) seg('DTM', ['232', leg.arrivesAt.replace(/[-T:]/g, ''), leg.arrivesAt.length > 10 ? '203' : '102']);
        }
      }
    }
    for (const { traveller, answer } of travellers) {
      seg('ERP', '2');
      for (const ref of traveller.references) if (ref.qualifier === 'AVF' || ref.qualifier === 'ABO') seg('RFF', [ref.qualifier, ref.value]);
      seg('NAD', traveller.qualifier || 'FL', '', '', [traveller.surname, ...(traveller.givenNames.length > 0 ? [traveller.givenNames.join(' ')] : [])]);
      const doc = traveller.documents[0];
      if (doc !== undefined) seg('DOC', [doc.code], doc.number);
      seg('ERC', codes[answer]);
    }
    seg('UNT', String(out.length - start + 1), String(messages));
  }
  seg('UNZ', String(messages), options.reference);
  return out.join('');
}
