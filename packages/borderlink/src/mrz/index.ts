// The MRZ layer: parse, check and write ICAO Doc 9303 machine-readable zones.
export { parseMrz } from './parse';
export { formatMrz } from './format';
export { computeCheckDigit } from './check-digit';
export { STATE_CODES, isKnownStateCode } from './state-codes';
export type { StateCodeInfo, StateCodeKind } from './state-codes';
export { MRZ_ISSUE_CODES, MRZ_ISSUE_SEVERITY } from './issues';
export { CONFUSION_GROUPS } from './repair';
export type {
  FormatMrzInput,
  IcaoMrzFormat,
  MrzCandidateChange,
  MrzCheckDigit,
  MrzCheckDigitName,
  MrzCorrection,
  MrzDocument,
  MrzDocumentType,
  MrzFieldName,
  MrzFormat,
  MrzIssue,
  MrzIssueCode,
  MrzSex,
  ParseMrzOptions,
  ParsedMrz,
} from './types';
