// Answering `GET /v1/records/{source}/{recordId}`: the full record, for the purposes allowed to read one. The gateway
// decides which purposes those are; this one refuses the others with 403 PURPOSE_NOT_ALLOWED.
import { SOURCES, type FieldIssue, type FullRecord, type Purpose } from 'borderlink';
import { contextOfHeaders } from '../protocol/index';
import type { DatasetHistoryEntry } from './dataset';
import type { DatasetIndex, Entry } from './matching';
import { checkContextHeaders } from './requests';
import { fail, invalid, respond, type GatewayRequest, type GatewayResponse } from './responses';

/** The purposes that may read a full record unless the gateway is told otherwise. @internal */
export const DEFAULT_RECORD_PURPOSES: readonly Purpose[] = Object.freeze(['SECOND_LINE', 'INVESTIGATION', 'TEST']);

/** The history of an SLTD record: the dataset's, or one entry for its report; a withdrawal ends it. */
function historyOf(entry: Extract<Entry, { source: 'SLTD' }>, reportedAt: string): DatasetHistoryEntry[] {
  const given = entry.origin.history;
  const history: DatasetHistoryEntry[] = given !== undefined ? given.map((h) => ({ ...h })) : [];
  if (given === undefined) {
    history.push({ at: entry.document.incidentDate ?? reportedAt, event: 'REPORTED', status: entry.document.status, authority: reportingAuthorityOf(entry) });
  }
  if (entry.withdrawnAt !== undefined) history.push({ at: entry.withdrawnAt, event: 'WITHDRAWN', authority: reportingAuthorityOf(entry) });
  return history;
}

function reportingAuthorityOf(entry: Extract<Entry, { source: 'SLTD' }>): string {
  return entry.origin.reportingAuthority ?? `${entry.ownerCountry}-NCB`;
}

/**
 * The full record of an entry, every field as protocol v1 names it. `reportedAt`: when a record without a history or an
 * incident date was reported, for its one history entry. @internal
 */
export function fullRecordOf(entry: Entry, reportedAt: string): FullRecord {
  const base = {
    recordId: entry.recordId,
    ownerCountry: entry.ownerCountry,
    ...(entry.actionToBeTaken !== undefined ? { actionToBeTaken: entry.actionToBeTaken } : {}),
  };
  switch (entry.source) {
    case 'SLTD': {
      const { authorityReference } = entry.origin;
      return {
        source: 'SLTD',
        ...base,
        document: entry.document,
        reportingAuthority: reportingAuthorityOf(entry),
        ...(authorityReference !== undefined ? { authorityReference } : {}),
        history: historyOf(entry, reportedAt),
      };
    }
    case 'TDAWN':
      return { source: 'TDAWN', ...base, document: entry.document, notice: { ...entry.origin.notice } };
    case 'NOMINAL':
      return { source: 'NOMINAL', ...base, person: entry.person, notice: { ...entry.origin.notice } };
    case 'SMV': {
      const { manufactureYear, bodyType, engineNumber, description } = entry.origin;
      const extra = { manufactureYear, bodyType, engineNumber, description };
      for (const k of Object.keys(extra) as (keyof typeof extra)[]) if (extra[k] === undefined) delete extra[k];
      return { source: 'SMV', ...base, vehicle: { ...entry.vehicle, ...extra } };
    }
  }
}

/** Answers record requests from `index`, for the purposes in `allowed`. @internal */
export function createRecordAnswerer(index: DatasetIndex, allowed: readonly Purpose[]) {
  return function answerRecord(req: GatewayRequest, sourceText: string, recordId: string, requestId: string): GatewayResponse {
    const source = SOURCES.find((s) => s === sourceText);
    if (source === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such source');
    const issues: FieldIssue[] = [];
    checkContextHeaders(req.headers, issues);
    if (issues.length > 0) return invalid(requestId, issues);
    const purpose = contextOfHeaders(req.headers).purpose as Purpose;
    if (!allowed.includes(purpose)) return fail(403, requestId, 'PURPOSE_NOT_ALLOWED', 'Full records are not given for this purpose');
    const entry = index.entryOf(source, recordId);
    if (entry === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such record');
    return respond(200, requestId, fullRecordOf(entry, index.dataAsOf(source)));
  };
}
