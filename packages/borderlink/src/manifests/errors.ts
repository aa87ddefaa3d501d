// The one error of this entry point, and the issues it and the manifest's warnings carry: each names where (segment
// position, line, tag) and what, never a value of the message.
import { InputError, type BorderlinkErrorOptions } from 'borderlink';
import { shownTag } from './segments';

/** Every code an {@link EdifactIssue} carries: the problem, by kind. */
export const EDIFACT_ISSUE_CODES = Object.freeze([
  /** The input ends inside a segment: its terminator is missing (a truncated file). */
  'UNTERMINATED_SEGMENT',
  /** A segment longer than `maxSegmentLength`: a file without terminators, or of another format. */
  'SEGMENT_TOO_LONG',
  /** More segments than `maxSegments`: not a flight's manifest, or several hundred flights in one file. */
  'TOO_MANY_SEGMENTS',
  /** A segment does not start with a three-character tag (often a value with an unreleased separator before it). */
  'BAD_TAG',
  /** The UNA service string advice is cut off, or names one character for two roles. */
  'BAD_UNA',
  /** A segment the interchange or message must have is not there (UNB, UNH, BGM, UNT, UNZ, …). */
  'MISSING_SEGMENT',
  /** A segment where the envelope allows none: before UNB, outside a message, after UNZ. */
  'UNEXPECTED_SEGMENT',
  /** A UNT, UNE, UNZ or CNT count that does not match what was read. */
  'COUNT_MISMATCH',
  /** A trailer whose reference is not its header's (UNT/UNH, UNE/UNG, UNZ/UNB). */
  'REFERENCE_MISMATCH',
  /** A message reference (UNH 0062) used by an earlier message of the interchange: ISO 9735 makes each unique in it. */
  'DUPLICATE_REFERENCE',
  /** A message that is not a PAXLST. */
  'NOT_PAXLST',
  /** A mandatory data element is empty. */
  'MISSING_ELEMENT',
  /** A date that cannot be (31 February, month 13) or is not in a format the guide uses. */
  'BAD_DATE',
  /** A travel document (DOC) without its number. */
  'DOCUMENT_WITHOUT_NUMBER',
  /** A traveller (NAD) without a surname. */
  'TRAVELLER_WITHOUT_NAME',
  /** A code this reader does not know where the guide lists the codes (ATT sex, BGM document, DOC type). */
  'UNKNOWN_CODE',
  /** A segment the PAXLST guide does not define. A warning: the segment is passed over. */
  'UNKNOWN_SEGMENT',
  /** A segment the guide defines that carries nothing a check uses, passed over by name. Reported only on request. */
  'SKIPPED_SEGMENT',
  /** A segment the guide defines, found where the guide does not put it. A warning: the segment is passed over. */
  'MISPLACED_SEGMENT',
] as const);

/** One of {@link EDIFACT_ISSUE_CODES}. */
export type EdifactIssueCode = (typeof EDIFACT_ISSUE_CODES)[number];

/**
 * One problem found in an EDIFACT interchange, by position: never a value of the message.
 * @example
 * ```ts
 * { code: 'BAD_DATE', segment: 14, line: 14, tag: 'DTM', element: 1, message: 'segment 14 (DTM, line 14): the date of birth is not a date' }
 * ```
 */
export interface EdifactIssue {
  code: EdifactIssueCode;
  /** The segment's position in the interchange, from 1 (a UNA counts). */
  segment: number;
  /** The line the segment starts on, from 1. */
  line: number;
  /**
   * The segment's tag when it is one the PAXLST guide or the EDIFACT service segments define; `undefined` otherwise,
   * since an unknown "tag" is often a piece of a value cut by an unreleased separator.
   */
  tag: string | undefined;
  /** The data element, from 1 (the first after the tag), when the problem is in one. */
  element?: number;
  /** What is wrong, with the position and without a value. */
  message: string;
}

/** Builds an issue with its message prefixed by the position. @internal */
export function issue(
  code: EdifactIssueCode,
  at: { position: number; line: number; tag: string },
  problem: string,
  element?: number,
): EdifactIssue {
  const tag = shownTag(at.tag);
  const where = `segment ${at.position} (${tag ?? 'no known tag'}, line ${at.line}${element === undefined ? '' : `, element ${element}`})`;
  return { code, segment: at.position, line: at.line, tag, ...(element === undefined ? {} : { element }), message: `${where}: ${problem}` };
}

/**
 * An EDIFACT interchange that cannot be read as a PAXLST, or a traveller whose data cannot be checked: `issues`
 * (and `edifactIssues`, with the codes) name the segment position, line and tag, never a value. An
 * {@link InputError} with code `INVALID_EDIFACT`: fix the message, it cannot succeed as sent.
 * @example
 * ```ts
 * try { parsePaxlst(await readFile('inbox/LH400.edi', 'utf8')); }
 * catch (err) {
 *   if (err instanceof EdifactError) console.error(err.segment, err.tag, err.edifactIssues[0]?.code);
 * }
 * ```
 */
export class EdifactError extends InputError {
  static override readonly brand: string = 'EdifactError';
  /** Each problem, by position and code. The first is the one that stopped the reading. */
  readonly edifactIssues: readonly EdifactIssue[];
  /** Position of the first problem's segment. */
  readonly segment: number;
  /** Line of the first problem's segment. */
  readonly line: number;
  /** Tag of the first problem's segment, when it is a known tag. */
  readonly tag: string | undefined;

  constructor(issues: readonly [EdifactIssue, ...EdifactIssue[]], options: BorderlinkErrorOptions = {}) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      `The PAXLST cannot be used: ${first.message}${more}`,
      issues.map((i) => ({ path: `segment ${i.segment}${i.element === undefined ? '' : `.${i.element}`}`, message: `${i.code}: ${i.message}` })),
      { ...options, code: 'INVALID_EDIFACT' },
    );
    this.edifactIssues = issues;
    this.segment = first.segment;
    this.line = first.line;
    this.tag = first.tag;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), edifactIssues: this.edifactIssues };
  }
}
