// Reading a full record (`GET /v1/records/{source}/{recordId}`) by the rule of a check answer: strict where it says
// which record it is (`source`, `recordId`: those asked for, or a ProtocolError), lenient everywhere else. A record
// is what the second line reads before anyone is detained: one odd descriptive field (a date in another format, a
// notice type this version does not list) is left out or kept with a warning, never the record lost.
//
// Warning paths are made of the field names below and indexes only: the gateway's keys and values never reach them.
import { ProtocolError } from '../errors/index';
import type { FullRecord } from '../queries/records';
import type { GatewayWarning, Source } from '../queries/types';
import type { TransportResponse } from '../transport/types';
import { readJson } from './body';
import { DESCRIPTIVE_RULES, RECORD_FIELDS, readDescriptiveFieldsWarned, type DescriptiveField } from './check-answer';
import { KNOWN_VALUES, MAX_LIST_LENGTH, MAX_TEXT_LENGTH, MAX_WARNINGS } from './wire';

const { text, texts, known, object } = DESCRIPTIVE_RULES;

const NOTICE_DETAILS: readonly DescriptiveField[] = [
  ...RECORD_FIELDS.notice,
  ['aliases', texts, false],
  ['physicalDescription', text, false],
  ['languages', texts, false],
  ['publishedAt', text, false],
  ['expiresAt', text, false],
];
const VEHICLE_DETAILS: readonly DescriptiveField[] = [
  ...RECORD_FIELDS.vehicle,
  ['manufactureYear', text, false],
  ['bodyType', text, false],
  ['engineNumber', text, false],
  ['description', text, false],
];
/** One entry of an SLTD record's history. */
const HISTORY_ENTRY: readonly DescriptiveField[] = [
  ['at', text, true],
  ['event', known(KNOWN_VALUES.documentHistoryEvent), true],
  ['status', known(KNOWN_VALUES.documentStatus), false],
  ['authority', text, false],
];

/**
 * The descriptive fields of a full record, by source, after `recordId`: the fields of a snapshot's record (which are a
 * hit's), and what a full record adds. An SLTD record's `history` (a list of objects) is read after these, entry by
 * entry. The OpenAPI test holds this reading to docs/openapi.yaml. @internal
 */
export const FULL_RECORD_FIELDS: Readonly<Record<Source, readonly DescriptiveField[]>> = Object.freeze({
  SLTD: [
    ...RECORD_FIELDS.base,
    ['document', object(RECORD_FIELDS.document), true],
    ['reportingAuthority', text, false],
    ['authorityReference', text, false],
  ],
  TDAWN: [...RECORD_FIELDS.base, ['document', object(RECORD_FIELDS.document), true], ['notice', object(NOTICE_DETAILS), true]],
  NOMINAL: [...RECORD_FIELDS.base, ['person', object(RECORD_FIELDS.person), true], ['notice', object(NOTICE_DETAILS), true]],
  SMV: [...RECORD_FIELDS.base, ['vehicle', object(VEHICLE_DETAILS), true]],
});

/** The fields of one history entry. @internal */
export const HISTORY_ENTRY_FIELDS = HISTORY_ENTRY;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function broken(path: string, status: number): ProtocolError {
  return new ProtocolError(`The gateway's record does not match protocol v1 at ${path}`, {
    retryable: false,
    status,
    issues: [{ path, message: path === 'source' || path === 'recordId' ? 'is not the record asked for' : 'does not match protocol v1' }],
  });
}

/** The history of an SLTD record: a list of entries, each read alone (an entry that is not an object is left out). */
function readHistory(value: unknown, into: Json, warnings: GatewayWarning[]): void {
  if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH) {
    warnings.push({ code: 'GATEWAY_DEVIATION', path: 'history' });
    return;
  }
  const history: Json[] = [];
  for (let i = 0; i < value.length; i++) {
    const entry: unknown = value[i];
    if (!isObject(entry)) {
      warnings.push({ code: 'GATEWAY_DEVIATION', path: `history.${i}` });
      continue;
    }
    const read: Json = {};
    warnings.push(...readDescriptiveFieldsWarned(entry, HISTORY_ENTRY, `history.${i}`, read));
    history.push(read);
  }
  into.history = history;
}

/**
 * Reads a parsed full record for the record asked for.
 * @throws {ProtocolError} not retryable, when the body is not an object or its `source` or `recordId` is not the one
 * asked for (a record of another would be shown as this one).
 * @internal
 */
export function readRecordJson(json: unknown, asked: { source: Source; recordId: string }, status: number): { record: FullRecord; warnings: GatewayWarning[] } {
  if (!isObject(json)) throw broken('(root)', status);
  if (json.source !== asked.source) throw broken('source', status);
  const recordId = json.recordId;
  if (typeof recordId !== 'string' || recordId.length > MAX_TEXT_LENGTH || recordId !== asked.recordId) throw broken('recordId', status);
  const record: Json = { source: asked.source, recordId };
  const warnings = readDescriptiveFieldsWarned(json, FULL_RECORD_FIELDS[asked.source], '', record);
  if (asked.source === 'SLTD') {
    if (json.history === undefined) warnings.push({ code: 'GATEWAY_DEVIATION', path: 'history' });
    else readHistory(json.history, record, warnings);
  }
  if (warnings.length > MAX_WARNINGS) warnings.length = MAX_WARNINGS;
  return { record: record as unknown as FullRecord, warnings };
}

/**
 * Reads a 2xx answer to `GET /v1/records/{source}/{recordId}`.
 * @throws {ProtocolError} retryable when the body is not JSON (cut off); see {@link readRecordJson} for the rest.
 * @internal
 */
export function readRecordAnswer(response: TransportResponse, asked: { source: Source; recordId: string }): { record: FullRecord; warnings: GatewayWarning[] } {
  return readRecordJson(readJson(response), asked, response.status);
}
