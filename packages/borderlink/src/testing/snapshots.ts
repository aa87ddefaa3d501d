// Answering `GET /v1/snapshots/{source}?since=CURSOR` from the gateway's records: a full snapshot, or the changes after
// the cursor (compacted: each record once, in its last state), streamed as NDJSON a part at a time.
import { createHash, randomBytes } from 'node:crypto';
import { SOURCES, type FieldIssue, type Source } from 'borderlink';
import {
  HEADERS,
  SNAPSHOT_CONTENT_TYPE,
  SNAPSHOT_CURSOR_EXPIRED,
  SNAPSHOT_CURSOR_EXPIRED_STATUS,
  type OfflineRecord,
  type SnapshotEnd,
} from '../protocol/index';
import type { DatasetIndex, Entry, SnapshotRecords } from './matching';
import { checkContextHeaders } from './requests';
import { fail, invalid, type GatewayRequest, type GatewayResponse } from './responses';

/** About this many characters of lines per part written. */
const PART_LENGTH = 64 * 1024;

/** The record of a snapshot line: the record's fields as protocol v1 names them, nothing of the index. */
function recordOf(entry: Entry): OfflineRecord {
  const base = {
    recordId: entry.recordId,
    ownerCountry: entry.ownerCountry,
    ...(entry.actionToBeTaken !== undefined ? { actionToBeTaken: entry.actionToBeTaken } : {}),
  };
  switch (entry.source) {
    case 'SLTD':
      return { source: 'SLTD', ...base, document: entry.document };
    case 'TDAWN':
      return { source: 'TDAWN', ...base, document: entry.document, notice: entry.notice };
    case 'NOMINAL':
      return { source: 'NOMINAL', ...base, person: entry.person, notice: entry.notice };
    case 'SMV':
      return { source: 'SMV', ...base, vehicle: entry.vehicle };
  }
}

/** Answers snapshot requests from `index`. @internal */
export function createSnapshotAnswerer(index: DatasetIndex) {
  // A cursor names this gateway's life: one from another gateway, or from this one before a restart, is refused with
  // 410 rather than read as a point in a history it was not part of.
  const epoch = randomBytes(6).toString('base64url');
  const cursorOf = (seq: number): string => Buffer.from(`v1:${epoch}:${seq}`).toString('base64url');
  const CURSOR = /^v1:([A-Za-z0-9_-]+):(\d{1,15})$/;
  /** The sequence number of a cursor this gateway gave; undefined for any other text. */
  const readCursor = (cursor: string): number | undefined => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
    const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
    if (m === null || m[1] !== epoch) return undefined;
    const seq = Number(m[2]);
    return seq <= index.sequence ? seq : undefined;
  };

  async function* lines(source: Source, records: SnapshotRecords, dataAsOf: string, full: boolean): AsyncGenerator<string, void, undefined> {
    const { upTo, recordCount, changes } = records;
    const hash = full ? createHash('sha256') : undefined;
    let part = '';
    for (const change of changes) {
      part += `${JSON.stringify(typeof change === 'string' ? { op: 'delete', source, recordId: change } : { op: 'upsert', record: recordOf(change) })}\n`;
      if (part.length >= PART_LENGTH) {
        hash?.update(part);
        yield part;
        part = '';
      }
    }
    hash?.update(part);
    const end: SnapshotEnd = { op: 'end', source, cursor: cursorOf(upTo), dataAsOf, full, changes: changes.length, recordCount };
    if (hash !== undefined) end.contentHash = `sha256:${hash.digest('hex')}`;
    yield `${part}${JSON.stringify(end)}\n`;
  }

  return function answerSnapshot(req: GatewayRequest, sourceText: string, query: string, requestId: string): GatewayResponse {
    const source = SOURCES.find((s) => s === sourceText);
    if (source === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such source');
    const issues: FieldIssue[] = [];
    checkContextHeaders(req.headers, issues);
    if (issues.length > 0) return invalid(requestId, issues);
    const given = new URLSearchParams(query).get('since');
    let since: number | undefined;
    if (given !== null) {
      since = readCursor(given);
      if (since === undefined) {
        return fail(SNAPSHOT_CURSOR_EXPIRED_STATUS, requestId, SNAPSHOT_CURSOR_EXPIRED, 'The cursor is not known here: take a full snapshot');
      }
    }
    return {
      status: 200,
      headers: { [HEADERS.contentType]: SNAPSHOT_CONTENT_TYPE, [HEADERS.requestId]: requestId },
      body: '',
      // Gathered now, not when the first part is written: what changes while the answer streams is in the next delta.
      stream: lines(source, index.snapshot(source, since), index.dataAsOf(source), since === undefined),
    };
  };
}
