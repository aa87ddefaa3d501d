// The MRZ layer: parse, check and write ICAO Doc 9303 machine-readable zones.
export { parseMrz } from './parse';
export { formatMrz } from './format';
export { computeCheckDigit } from './check-digit';
export { DOCUMENT_TYPES, ICAO_MRZ_FORMATS, SEXES } from './types';
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
  DocumentType,
  MrzFieldName,
  MrzFormat,
  MrzIssue,
  MrzIssueCode,
  Sex,
  ParseMrzOptions,
  ParsedMrz,
} from './types';
