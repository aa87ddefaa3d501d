// From a read manifest to checks: one checkMany row per traveller, and screenPaxlst, which streams the travellers
// through checkMany and answers each exactly once (a traveller that cannot be checked as sent answers its error).
import { ConfigError, InputError, type BatchItem, type BatchOptions, type BorderlinkClient, type BorderlinkError, type CheckResult, type Subject } from 'borderlink';
import { EdifactError, issue } from './errors';
import { refuseUnknownOptions } from './options';
import { parsePaxlst, type ParsePaxlstOptions } from './paxlst';
import { manifestProblem, travellerProblem } from './shapes';
import type { PaxlstManifest, PaxlstTraveller } from './types';

/** Which subjects a traveller's row searches. */
export type TravellerSubjects = 'both' | 'documents' | 'person';

/** Options of {@link toBatchItem} and {@link toBatchItems}. */
export interface ToBatchItemOptions {
  /**
   * `both`: every travel document (SLTD, TDAWN) and the person (NOMINAL); `documents` or `person` alone.
   * @default 'both'
   */
  subjects?: TravellerSubjects | undefined;
  /** The row's id, unique per traveller. @default String(traveller.index) */
  id?: ((traveller: PaxlstTraveller) => string) | undefined;
}

const SUBJECTS: readonly TravellerSubjects[] = ['both', 'documents', 'person'];

/**
 * The `checkMany` row of one traveller: each of its documents as a document subject and the traveller as a person
 * subject (by `subjects`). Throws the traveller's `issues` as an {@link EdifactError} when it has any (it cannot be
 * checked as sent), and one when it has nothing of the asked kind to search (`subjects: 'documents'` for a
 * traveller without a document).
 * @example
 * ```ts
 * const item = toBatchItem(manifest.travellers[0]!);
 * // { id: '1', subjects: [{ kind: 'document', documentNumber: 'L898902C3', … }, { kind: 'person', surname: 'ERIKSSON', … }] }
 * ```
 */
export function toBatchItem(traveller: PaxlstTraveller, options: ToBatchItemOptions = {}): BatchItem {
  refuseUnknownOptions('toBatchItem', options, ['subjects', 'id']);
  const which = options.subjects ?? 'both';
  if (!SUBJECTS.includes(which)) throw new ConfigError("toBatchItem: option `subjects` must be 'both', 'documents' or 'person'");
  if (options.id !== undefined && typeof options.id !== 'function') throw new ConfigError('toBatchItem: option `id` must be a function of the traveller');
  const problem = travellerProblem(traveller);
  if (problem !== undefined) throw new ConfigError(`toBatchItem: the traveller ${problem} (one of a manifest's travellers, as parsePaxlst reads them)`);
  const [firstIssue, ...moreIssues] = traveller.issues;
  if (firstIssue !== undefined) throw new EdifactError([firstIssue, ...moreIssues]);
  const subjects: Subject[] = [];
  if (which !== 'person') {
    for (const d of traveller.documents) {
      subjects.push({ kind: 'document', documentNumber: d.number, issuingState: d.issuingState ?? '', documentType: d.documentType });
    }
  }
  if (which !== 'documents') {
    subjects.push({
      kind: 'person',
      surname: traveller.surname,
      givenNames: traveller.givenNames,
      ...(traveller.dateOfBirth !== undefined ? { dateOfBirth: traveller.dateOfBirth } : {}),
      ...(traveller.sex !== undefined ? { sex: traveller.sex } : {}),
      ...(traveller.nationality !== undefined ? { nationality: traveller.nationality } : {}),
    });
  }
  if (subjects.length === 0) {
    throw new EdifactError([
      issue('MISSING_SEGMENT', { position: traveller.segment, line: traveller.line, tag: 'NAD' }, 'the traveller has no travel document (DOC) to check'),
    ]);
  }
  return { id: options.id?.(traveller) ?? String(traveller.index), subjects };
}

/**
 * The `checkMany` rows of every traveller of a manifest (or of the travellers given), by {@link toBatchItem}: throws
 * the first traveller's issues that has any. {@link screenPaxlst} answers such a traveller with its error instead.
 * @example
 * ```ts
 * for await (const row of client.checkMany(toBatchItems(manifest), { batchSize: 100 })) console.log(row.id, row.result?.verdict);
 * ```
 */
export function toBatchItems(manifest: PaxlstManifest | Iterable<PaxlstTraveller>, options: ToBatchItemOptions = {}): BatchItem[] {
  const travellers: unknown = isManifest(manifest) ? manifest.travellers : manifest;
  if (travellers === null || typeof travellers !== 'object' || typeof (travellers as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new ConfigError('toBatchItems: the input must be a manifest or an iterable of its travellers');
  }
  return [...(travellers as Iterable<PaxlstTraveller>)].map((t) => toBatchItem(t, options));
}

/** One traveller's answer from {@link screenPaxlst}: a result, or the error it ended with. */
export type ScreenedTraveller =
  | { id: string; traveller: PaxlstTraveller; result: CheckResult; error?: undefined }
  | { id: string; traveller: PaxlstTraveller; error: BorderlinkError; result?: undefined };

/** Options of {@link screenPaxlst}: those of `checkMany`, of {@link toBatchItem}, and `parse` for {@link parsePaxlst}. */
export interface ScreenPaxlstOptions extends BatchOptions, ToBatchItemOptions {
  /** How the PAXLST is read, when the input is not a manifest already. */
  parse?: ParsePaxlstOptions | undefined;
}

function isManifest(value: unknown): value is PaxlstManifest {
  return typeof value === 'object' && value !== null && Array.isArray((value as Partial<PaxlstManifest>).travellers) && Array.isArray((value as Partial<PaxlstManifest>).messages);
}

/**
 * Screens every traveller of a PAXLST through `client.checkMany`, and yields each traveller once, with its result
 * or its error. A traveller that cannot be checked as sent (its `issues`) yields its {@link EdifactError} and is not
 * sent; the others go on. The input is a manifest from {@link parsePaxlst}, or PAXLST text, bytes or a stream,
 * which is read whole first, so a message cut short or miscounted is refused before any traveller is screened.
 * @example
 * ```ts
 * import { createClient } from 'borderlink';
 * import { mockTransport } from 'borderlink/testing';
 * import { formatCusres, screenPaxlst, type ScreenedTraveller } from 'borderlink/manifests';
 * import { createReadStream } from 'node:fs';
 *
 * const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-API', operatorId: 'api-1', purpose: 'MANIFEST_SCREENING' } });
 * const answers: ScreenedTraveller[] = [];
 * for await (const row of screenPaxlst(client, createReadStream('flight.edi'))) answers.push(row);
 * const cusres = formatCusres(answers, { reference: 'ANS0001' });
 * ```
 */
export async function* screenPaxlst(
  client: Pick<BorderlinkClient, 'checkMany'>,
  input: PaxlstManifest | string | Uint8Array | AsyncIterable<string | Uint8Array>,
  options: ScreenPaxlstOptions = {},
): AsyncGenerator<ScreenedTraveller> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ConfigError('screenPaxlst: the options must be an object');
  const { subjects, id, parse, ...batch } = options;
  const problem = isManifest(input) ? manifestProblem(input) : undefined;
  if (problem !== undefined) throw new ConfigError(`screenPaxlst: the manifest ${problem} (a manifest as parsePaxlst reads it)`);
  const manifest: PaxlstManifest = isManifest(input)
    ? input
    : typeof input === 'string' || input instanceof Uint8Array
      ? parsePaxlst(input, parse)
      : await parsePaxlst(input, parse);
  const byId = new Map<string, PaxlstTraveller>();
  const refused: ScreenedTraveller[] = [];
  const itemOptions: ToBatchItemOptions = { ...(subjects !== undefined ? { subjects } : {}), ...(id !== undefined ? { id } : {}) };
  function* items(): Generator<BatchItem> {
    for (const traveller of manifest.travellers) {
      const rowId = id?.(traveller) ?? String(traveller.index);
      if (typeof rowId !== 'string' || rowId === '' || byId.has(rowId)) {
        // Two travellers under one id would let an answer reach the wrong one: neither is guessed at.
        const error = new InputError('The traveller id is empty or used by an earlier traveller', [{ path: 'id', message: 'is empty or repeats the id of an earlier traveller' }]);
        refused.push({ id: `#${traveller.index}`, traveller, error });
        continue;
      }
      byId.set(rowId, traveller);
      let item: BatchItem;
      try {
        item = toBatchItem(traveller, itemOptions);
      } catch (err) {
        if (!(err instanceof EdifactError)) throw err;
        refused.push({ id: rowId, traveller, error: err });
        continue;
      }
      yield item;
    }
  }
  for await (const row of client.checkMany(items(), { total: manifest.travellers.length, ...batch })) {
    while (refused.length > 0) yield refused.shift()!;
    const traveller = byId.get(row.id)!;
    yield row.error !== undefined ? { id: row.id, traveller, error: row.error } : { id: row.id, traveller, result: row.result };
  }
  while (refused.length > 0) yield refused.shift()!;
}
