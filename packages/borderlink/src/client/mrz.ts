// MRZ checks: the MRZ is parsed, its document and holder become the subjects (queries/mrz-check.ts), and the check
// runs on the read path like any other. An invalid MRZ is an MrzError unless the caller allows it.
import { parseMrz, type ParsedMrz, type ParseMrzOptions } from '../mrz/index';
import { MRZ_SOURCES, searchFromMrz, type MrzBatchItem, type MrzCheckOptions, type MrzCheckResult } from '../queries/mrz-check';
import { inputError } from '../queries/validate';
import { runBatch, type BatchOptions, type BatchOutcome } from './batch';
import { checkEntryOptions, checkMrzCallOptions, checkRows } from './check-options';
import type { ClientDefaults } from './defaults';
import type { CallOptions } from './options';
import { prepareCheck, type ReadPath } from './read';

function mrzInput(mrz: unknown): asserts mrz is string | readonly string[] {
  if (typeof mrz !== 'string' && !Array.isArray(mrz)) throw inputError([{ path: 'mrz', message: 'must be a string or an array of lines' }]);
}

function parseOptionsOf({ repair, referenceDate }: MrzCheckOptions): ParseMrzOptions {
  return { ...(repair !== undefined ? { repair } : {}), ...(referenceDate !== undefined ? { referenceDate } : {}) };
}

/** client.checkMrz. @internal */
export async function checkMrz(
  reads: ReadPath,
  defaults: ClientDefaults,
  input: string | readonly string[],
  options: CallOptions & MrzCheckOptions = {},
): Promise<MrzCheckResult> {
  // The MRZ options are checked with the call's own, before the MRZ is read; each is read once, here.
  const { mrz, call } = checkMrzCallOptions('checkMrz', options);
  mrzInput(input);
  const parsed = parseMrz(input, parseOptionsOf(mrz));
  const result = await reads.checkOne('checkMrz', () => searchFromMrz(parsed, mrz.allowInvalidMrz === true), call, defaults, call.sources ?? [...MRZ_SOURCES]);
  return { ...result, mrz: parsed };
}

/** client.checkManyMrz. @internal */
export function checkManyMrz(
  reads: ReadPath,
  defaults: ClientDefaults,
  assertOpen: () => void,
  items: Iterable<MrzBatchItem> | AsyncIterable<MrzBatchItem>,
  options: BatchOptions & MrzCheckOptions = {},
): AsyncIterable<BatchOutcome<MrzCheckResult>> {
  checkEntryOptions('checkManyMrz', options, true);
  const { allowInvalidMrz, repair, referenceDate, ...batchOptions } = options;
  checkRows('checkManyMrz', items, '{ id, mrz }');
  assertOpen();
  const parseOptions = parseOptionsOf({ repair, referenceDate });
  const { contextFor } = defaults;
  const host = reads.batchHost(
    defaults,
    (item, context) => {
      const { mrz } = item as Partial<MrzBatchItem>;
      mrzInput(mrz);
      const parsed = parseMrz(mrz, parseOptions);
      const { subjects, notAsked } = searchFromMrz(parsed, allowInvalidMrz === true);
      return { prepared: prepareCheck(contextFor, subjects, [...MRZ_SOURCES], context, notAsked), extra: parsed };
    },
    (result, parsed) => ({ ...result, mrz: parsed as ParsedMrz }) as MrzCheckResult,
  );
  return runBatch<MrzBatchItem, MrzCheckResult>(host, items, batchOptions, 'checkManyMrz');
}
