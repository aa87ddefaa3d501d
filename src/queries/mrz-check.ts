// From a parsed MRZ to the subjects of one check: the document (SLTD, TDAWN) and its holder (NOMINAL).
import { MrzError } from '../errors/index';
import type { ParsedMrz } from '../mrz/index';
import type { CheckResult, Source, Subject } from './types';

/** Sources an MRZ check asks: the document in SLTD and TDAWN, its holder in NOMINAL. */
export const MRZ_SOURCES: readonly Source[] = Object.freeze(['SLTD', 'TDAWN', 'NOMINAL'] as const);

/**
 * The answer to `checkMrz`: a {@link CheckResult} with what was read. When the MRZ was invalid and the call allowed it
 * (`allowInvalidMrz`), `mrz.valid` is false and the check ran on the fields as read.
 */
export interface MrzCheckResult extends CheckResult {
  mrz: ParsedMrz;
}

/** One row of `checkManyMrz`: your id and the MRZ as lines or as OCR text. */
export interface MrzBatchItem {
  id: string;
  mrz: string | readonly string[];
}

/** Options of `checkMrz`, beside the usual call options. */
export interface MrzCheckOptions {
  /** Check an MRZ that failed its check digits anyway, on the fields as read. @default false */
  allowInvalidMrz?: boolean;
  /** Repair OCR errors guided by check digits. @default true */
  repair?: boolean;
  /** The date expiry and century rules are judged against. @default now */
  referenceDate?: Date;
}

/** The subjects to check for a parsed MRZ, or an MrzError when it cannot (or may not) be checked. @internal */
export function subjectsFromMrz(parsed: ParsedMrz, allowInvalid: boolean): Subject[] {
  const doc = parsed.document;
  if (doc === null || (!parsed.valid && !allowInvalid)) {
    const codes = [...new Set(parsed.issues.filter((i) => i.severity === 'error').map((i) => i.code))];
    throw new MrzError(
      doc === null
        ? `The MRZ could not be read (${codes.join(', ') || 'UNKNOWN_FORMAT'})`
        : `The MRZ is invalid (${codes.join(', ')}); pass allowInvalidMrz to check it as read`,
      parsed.issues,
    );
  }
  const subjects: Subject[] = [
    {
      kind: 'document',
      documentNumber: doc.documentNumber,
      issuingState: doc.issuingState,
      documentType: doc.documentType,
    },
  ];
  // ICAO: a holder with one name has it as the primary identifier; a lone secondary identifier stands in for it.
  const surname = doc.surname || doc.givenNames.join(' ');
  if (surname) {
    subjects.push({
      kind: 'person',
      surname,
      givenNames: doc.surname ? [...doc.givenNames] : [],
      ...(doc.birthDate !== null ? { dateOfBirth: doc.birthDate } : {}),
      sex: doc.sex,
      ...(doc.nationality ? { nationality: doc.nationality } : {}),
    });
  }
  return subjects;
}
