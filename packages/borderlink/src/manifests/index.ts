/**
 * `borderlink/manifests`: airline manifests as airlines send them. A streaming UN/EDIFACT tokenizer of its own (no
 * dependency), {@link parsePaxlst} for PAXLST passenger and crew lists, {@link toBatchItems} and
 * {@link screenPaxlst} to check their travellers through `checkMany`, and {@link formatCusres} for the board / no-board
 * answer. Importing `borderlink` loads nothing of this entry point.
 * @module borderlink/manifests
 */
export { EdifactTokenizer, tokenizeEdifact, DEFAULT_SEPARATORS } from './edifact';
export type { EdifactSegment, EdifactSeparators, EdifactTokenizerOptions } from './edifact';
export { EdifactError, EDIFACT_ISSUE_CODES } from './errors';
export type { EdifactIssue, EdifactIssueCode } from './errors';
export { PAXLST_SEGMENTS } from './segments';
export type { PaxlstSegment, SegmentUse } from './segments';
export { parsePaxlst, PAXLST_DOCUMENT_TYPES } from './paxlst';
export type { ParsePaxlstOptions } from './paxlst';
export type {
  FlightLeg,
  PaxlstDocument,
  PaxlstFlight,
  PaxlstListKind,
  PaxlstManifest,
  PaxlstMessage,
  PaxlstParty,
  PaxlstPlace,
  PaxlstReference,
  PaxlstTraveller,
  TravellerRole,
} from './types';
export { screenPaxlst, toBatchItem, toBatchItems } from './screen';
export type { ScreenPaxlstOptions, ScreenedTraveller, ToBatchItemOptions, TravellerSubjects } from './screen';
export { BOARDING_ANSWERS, BOARDING_SOURCES, CUSRES_ANSWER_CODES, boardingAnswer, formatCusres } from './cusres';
export type { BoardingAnswer, FormatCusresOptions } from './cusres';
