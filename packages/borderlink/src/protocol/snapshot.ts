// The wire of `GET /v1/snapshots/{source}?since=CURSOR`: an NDJSON answer of upserts and deletes and a last line
// saying where the copy stands, read as it streams.
//
// What a store does with these lines decides later verdicts, so the reader is strict wherever a line could make the
// copy answer differently from the gateway: the op, every line's source (the one asked for), a record's id and the
// fields its lookup keys are made of (stores/keys.ts: a record whose number could not be read would never be found,
// a false NO_HIT), the end line and its counts, cursor, time and content hash. Any break there fails the whole answer
// with a ProtocolError naming the line number and the field, never what the line held, and the store keeps the copy
// it had. Everything else in a record only describes it (what a hit shows) and is read as a hit's fields are read
// (check-answer.ts): a field that cannot be read is left out and the record kept, so one odd value never costs a hit.
//
// Memory is bounded whatever the answer's size: one line at a time (at most `maxLineBytes`), the hash computed as the
// bytes pass. The end line is given only once the body has ended after it, so a store that commits on the end line
// never commits an answer with anything wrong after it.
import { createHash } from 'node:crypto';
import { newRequestId } from '../internal/ids';
import { z } from 'zod';
import { BorderlinkError, InputError, ProtocolError } from '../errors/index';
import { abortErrorFrom } from '../internal/abort';
import type { QueryContext, Source } from '../queries/types';
import { parseContext } from '../queries/validate';
import { SOURCES, printableAscii } from '../queries/values';
import type { OfflineRecord, SnapshotChange, SnapshotEnd } from '../stores/types';
import type { StreamedResponse, Transport } from '../transport/types';
import { RECORD_FIELDS, readDescriptiveFields } from './check-answer';
import { errorFromResponse } from './errors';
import {
  CONTEXT_HEADERS,
  HEADERS,
  MAX_LIST_LENGTH,
  MAX_TEXT_LENGTH,
  PATHS,
  SNAPSHOT_CURSOR_EXPIRED_STATUS,
  WIRE_SOURCES,
  documentRecordSchema,
  noticeSchema,
  personRecordSchema,
  vehicleRecordSchema,
} from './wire';

export { SNAPSHOT_CONTENT_TYPE, SNAPSHOT_CURSOR_EXPIRED, SNAPSHOT_CURSOR_EXPIRED_STATUS } from './wire';
/** A cursor: opaque to the client, printable ASCII without spaces, 1 to 1024 characters. */
export const SNAPSHOT_CURSOR = printableAscii(1, 1024);
/** A full snapshot's `contentHash`. */
export const CONTENT_HASH = /^sha256:[0-9a-f]{64}$/;
/** The longest line the reader takes, in bytes: a record of protocol v1 is a few hundred. */
export const MAX_SNAPSHOT_LINE_BYTES = 1024 * 1024;
/** The time of an end line: ISO 8601 with a time and an offset, as `2026-12-01T06:00:00Z`. */
const DATA_AS_OF = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// The strict schemas: every line exactly as protocol v1 describes it, what a conforming gateway sends (the mock's
// tests and the OpenAPI test hold to them). The reader below gives exactly what these give for every line they
// accept, and reads around what only describes a record.
const text = z.string().max(MAX_TEXT_LENGTH);
const id = z.string().min(1).max(MAX_TEXT_LENGTH);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const recordBase = { recordId: id, ownerCountry: text, actionToBeTaken: text.optional() };
// The fields a record's lookup keys are made of are strict in a snapshot (they are descriptive in a hit).
const keyedDocument = documentRecordSchema.extend({ documentNumber: id, issuingState: id });
const keyedPerson = personRecordSchema.extend({ surname: id });

/** A record of a snapshot, by `source`. */
export const offlineRecordSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('SLTD'), ...recordBase, document: keyedDocument }),
  z.object({ source: z.literal('TDAWN'), ...recordBase, document: keyedDocument, notice: noticeSchema }),
  z.object({ source: z.literal('NOMINAL'), ...recordBase, person: keyedPerson, notice: noticeSchema }),
  z.object({ source: z.literal('SMV'), ...recordBase, vehicle: vehicleRecordSchema }),
]);

/** The lines of a snapshot answer as protocol v1 describes them, by `op`. */
export const SNAPSHOT_LINE_SCHEMAS = Object.freeze({
  upsert: z.object({ op: z.literal('upsert'), record: offlineRecordSchema }),
  delete: z.object({ op: z.literal('delete'), source: z.enum(WIRE_SOURCES), recordId: id }),
  end: z.object({
    op: z.literal('end'),
    source: z.enum(WIRE_SOURCES),
    cursor: z.string().regex(SNAPSHOT_CURSOR),
    dataAsOf: z.string().regex(DATA_AS_OF).refine((v) => !Number.isNaN(Date.parse(v))),
    full: z.boolean(),
    changes: count,
    recordCount: count,
    contentHash: z.string().regex(CONTENT_HASH).optional(),
  }),
});

/** Any line of a snapshot answer. */
export const snapshotLineSchema = z.discriminatedUnion('op', [SNAPSHOT_LINE_SCHEMAS.upsert, SNAPSHOT_LINE_SCHEMAS.delete, SNAPSHOT_LINE_SCHEMAS.end]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_LENGTH;
const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT_LENGTH;
const isTexts = (value: unknown): value is string[] => Array.isArray(value) && value.length <= MAX_LIST_LENGTH && value.every(isText);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

type KeyRule = 'id' | 'text' | 'texts';
const KEY_RULES: Readonly<Record<KeyRule, (value: unknown) => boolean>> = { id: isId, text: isText, texts: isTexts };

/** A record's parts, by source: which are strict (they hold the fields of its lookup keys) and their key fields. */
const RECORD_PARTS: Readonly<
  Record<Source, readonly { name: 'document' | 'notice' | 'person' | 'vehicle'; keys?: readonly (readonly [string, KeyRule])[] }[]>
> = {
  SLTD: [{ name: 'document', keys: [['documentNumber', 'id'], ['issuingState', 'id']] }],
  TDAWN: [{ name: 'document', keys: [['documentNumber', 'id'], ['issuingState', 'id']] }, { name: 'notice' }],
  NOMINAL: [{ name: 'person', keys: [['surname', 'id'], ['givenNames', 'texts'], ['dateOfBirth', 'text']] }, { name: 'notice' }],
  SMV: [{ name: 'vehicle', keys: [['vin', 'text'], ['plate', 'text'], ['registrationCountry', 'text']] }],
};

/** What the reader found wrong, as fixed text: never a value from the line. */
type Problem =
  | 'is longer than the line limit'
  | 'is not JSON'
  | 'is cut off (the answer ended inside it)'
  | 'does not match protocol v1'
  | 'is not the source asked for'
  | 'comes after the end line'
  | 'is not the number of lines before the end line'
  | 'is not the number of records of a full snapshot'
  | 'does not match the lines before the end line'
  | 'is required for a full snapshot'
  | 'must be true: a full snapshot was asked for'
  | 'is a delete in a full snapshot'
  | 'is missing: the answer ended without an end line';

function broken(line: number, path: string, problem: Problem, retryable: boolean, requestId: string | undefined, status: number | undefined): ProtocolError {
  const at = path === '' ? `line ${line}` : `line ${line}, ${path}`;
  return new ProtocolError(`The snapshot answer breaks protocol v1 at ${at}: it ${problem}`, {
    retryable,
    requestId,
    status,
    issues: [{ path: path === '' ? `lines.${line}` : `lines.${line}.${path}`, message: problem }],
  });
}

/** Options of {@link readSnapshot}. */
export interface SnapshotReadOptions {
  /** The source asked for: every line must be of it. */
  source: Source;
  /** The cursor the request was sent with; `undefined` for a full snapshot, which the answer must then be. */
  since?: string | undefined;
  /** The longest line taken, in bytes (its `\n` not counted). @default 1048576 */
  maxLineBytes?: number;
  /** Stops the reading: the iterator throws the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Put on every error, to tie it to the request. */
  requestId?: string | undefined;
  /** The answer's status, put on every error. */
  status?: number | undefined;
}

/** Reading one answer: the line count, the changes and the hash so far. */
class SnapshotReading {
  line = 0;
  changes = 0;
  deletes = 0;
  /** The end line as parsed, until {@link SnapshotReading.finish} checks it. */
  endLine: Json | undefined = undefined;
  end: SnapshotEnd | undefined = undefined;
  readonly hash = createHash('sha256');
  readonly source: Source;
  readonly full: boolean;

  constructor(readonly options: SnapshotReadOptions) {
    this.source = options.source;
    this.full = options.since === undefined;
  }

  fail(path: string, problem: Problem, retryable = false): ProtocolError {
    return broken(this.line, path, problem, retryable, this.options.requestId, this.options.status);
  }

  /**
   * One complete line; `cut` when the answer ended inside it. Gives the change, or undefined for the end line, which
   * {@link SnapshotReading.finish} checks once every line before it is hashed.
   */
  read(bytes: Buffer, cut: boolean): SnapshotChange | undefined {
    if (this.endLine !== undefined) throw this.fail('', 'comes after the end line');
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw this.fail('', cut ? 'is cut off (the answer ended inside it)' : 'is not JSON', cut);
    }
    if (!isObject(json)) throw this.fail('', 'does not match protocol v1');
    switch (json.op) {
      case 'upsert':
        this.changes++;
        return { op: 'upsert', record: this.record(json.record) };
      case 'delete': {
        this.source_(json.source, 'source');
        if (!isId(json.recordId)) throw this.fail('recordId', 'does not match protocol v1');
        this.changes++;
        this.deletes++;
        return { op: 'delete', source: this.source, recordId: json.recordId };
      }
      case 'end':
        this.endLine = json;
        return undefined;
      default:
        throw this.fail('op', 'does not match protocol v1');
    }
  }

  private source_(value: unknown, path: string): void {
    if (value === this.source) return;
    throw this.fail(path, typeof value === 'string' && (SOURCES as readonly string[]).includes(value) ? 'is not the source asked for' : 'does not match protocol v1');
  }

  private record(value: unknown): OfflineRecord {
    if (!isObject(value)) throw this.fail('record', 'does not match protocol v1');
    this.source_(value.source, 'record.source');
    if (!isId(value.recordId)) throw this.fail('record.recordId', 'does not match protocol v1');
    const record: Json = { source: this.source, recordId: value.recordId };
    readDescriptiveFields(value, RECORD_FIELDS.base, record);
    for (const { name, keys } of RECORD_PARTS[this.source]) {
      const part = value[name];
      if (keys === undefined) {
        // Descriptive: one that cannot be read is read as holding nothing readable.
        const read: Json = {};
        if (isObject(part)) readDescriptiveFields(part, RECORD_FIELDS[name], read);
        record[name] = read;
        continue;
      }
      if (!isObject(part)) throw this.fail(`record.${name}`, 'does not match protocol v1');
      for (const [field, rule] of keys) {
        if (!KEY_RULES[rule](part[field])) throw this.fail(`record.${name}.${field}`, 'does not match protocol v1');
      }
      const read: Json = {};
      readDescriptiveFields(part, RECORD_FIELDS[name], read);
      record[name] = read;
    }
    return record as unknown as OfflineRecord;
  }

  /** Checks the end line read: its fields, the counts and the hash of every line before it. */
  finish(): void {
    const json = this.endLine!;
    const { cursor, dataAsOf, full, changes, recordCount, contentHash } = json;
    this.source_(json.source, 'source');
    if (typeof cursor !== 'string' || !SNAPSHOT_CURSOR.test(cursor)) throw this.fail('cursor', 'does not match protocol v1');
    if (typeof dataAsOf !== 'string' || !DATA_AS_OF.test(dataAsOf) || Number.isNaN(Date.parse(dataAsOf))) {
      throw this.fail('dataAsOf', 'does not match protocol v1');
    }
    if (typeof full !== 'boolean') throw this.fail('full', 'does not match protocol v1');
    if (this.full && !full) throw this.fail('full', 'must be true: a full snapshot was asked for');
    if (!isCount(changes)) throw this.fail('changes', 'does not match protocol v1');
    if (changes !== this.changes) throw this.fail('changes', 'is not the number of lines before the end line');
    if (!isCount(recordCount)) throw this.fail('recordCount', 'does not match protocol v1');
    if (full && this.deletes > 0) throw this.fail('full', 'is a delete in a full snapshot');
    if (full && recordCount !== changes) throw this.fail('recordCount', 'is not the number of records of a full snapshot');
    if (contentHash !== undefined && (typeof contentHash !== 'string' || !CONTENT_HASH.test(contentHash))) {
      throw this.fail('contentHash', 'does not match protocol v1');
    }
    if (full && contentHash === undefined) throw this.fail('contentHash', 'is required for a full snapshot');
    if (contentHash !== undefined && contentHash !== `sha256:${this.hash.digest('hex')}`) {
      throw this.fail('contentHash', 'does not match the lines before the end line');
    }
    const end: SnapshotEnd = { op: 'end', source: this.source, cursor, dataAsOf, full, changes, recordCount };
    if (contentHash !== undefined) end.contentHash = contentHash;
    this.end = end;
  }
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Reads a snapshot answer as it streams: its upsert and delete lines in order, then its end line, which comes only
 * once the body has ended after it and every check of the answer passed (its source, its counts, for a full snapshot
 * its content hash). Each line is checked as it is read: strict where it decides (the op, every source, a record's id
 * and the fields its lookup keys are made of, every field of the end line), lenient where it only describes a record.
 *
 * Memory stays bounded: one line at a time, at most `maxLineBytes` of it.
 * @throws {ProtocolError} at the first break, naming the line number (from 1) and the field, never what the line
 * held. Retryable when the answer was cut off (it ended inside a line or without an end line); not when a line breaks
 * the protocol. Whatever the body's iterator throws (a broken connection, a timeout) is thrown as it is.
 * @internal
 */
export async function* readSnapshot(
  body: AsyncIterable<Uint8Array | string>,
  options: SnapshotReadOptions,
): AsyncGenerator<SnapshotChange | SnapshotEnd, void, undefined> {
  const maxLineBytes = options.maxLineBytes ?? MAX_SNAPSHOT_LINE_BYTES;
  const { signal } = options;
  const reading = new SnapshotReading(options);
  const { hash } = reading;
  // The start of a line that began in an earlier part: its parts and bytes.
  let carried: Buffer[] = [];
  let carriedBytes = 0;
  const tooLong = () => {
    reading.line++;
    return reading.fail('', 'is longer than the line limit');
  };
  try {
    for await (const raw of body) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      const chunk = toBuffer(raw);
      let start = 0;
      // Bytes of the lines read whole from this part, hashed in one update once the part is read (or the end line is).
      let hashFrom = 0;
      for (;;) {
        const newline = chunk.indexOf(10, start);
        if (newline === -1) break;
        let line: Buffer;
        const wasCarried = carriedBytes > 0;
        if (wasCarried) {
          if (carriedBytes + newline > maxLineBytes) throw tooLong();
          carried.push(chunk.subarray(0, newline));
          line = Buffer.concat(carried, carriedBytes + newline);
        } else {
          if (newline - start > maxLineBytes) throw tooLong();
          line = chunk.subarray(start, newline);
        }
        reading.line++;
        const change = reading.read(line, false);
        if (change === undefined) {
          // The end line: every line before it is hashed (a carried one's earlier parts were, in their parts), not it.
          if (!wasCarried) hash.update(chunk.subarray(hashFrom, start));
          hashFrom = chunk.length;
          reading.finish();
        } else if (wasCarried) {
          // Its parts before this one; this part's share is in the batch from 0.
          for (let i = 0; i < carried.length - 1; i++) hash.update(carried[i]!);
        }
        if (wasCarried) {
          carried = [];
          carriedBytes = 0;
        }
        start = newline + 1;
        if (change !== undefined) {
          if (signal?.aborted) throw abortErrorFrom(signal);
          yield change;
        }
      }
      if (hashFrom < start) hash.update(chunk.subarray(hashFrom, start));
      if (start < chunk.length) {
        if (reading.end !== undefined) {
          reading.line++;
          throw reading.fail('', 'comes after the end line');
        }
        const rest = chunk.subarray(start);
        if (carriedBytes + rest.length > maxLineBytes) throw tooLong();
        carried.push(rest);
        carriedBytes += rest.length;
      }
    }
    if (carriedBytes > 0) {
      // The last line has no newline: a line all the same, the end line or one the answer ended inside.
      reading.line++;
      const change = reading.read(Buffer.concat(carried, carriedBytes), true);
      if (change === undefined) reading.finish();
      else yield change;
    }
  } catch (err) {
    if (err instanceof BorderlinkError) err.requestId ??= options.requestId;
    throw err;
  }
  const end = reading.end;
  if (end === undefined) {
    reading.line++;
    throw reading.fail('', 'is missing: the answer ended without an end line', true);
  }
  yield end;
}

/** Options of {@link fetchSnapshot}. */
export interface FetchSnapshotOptions {
  source: Source;
  /** The cursor of the copy held, for a delta; `undefined` for a full snapshot. */
  since?: string | undefined;
  /** Who asks, for which authority, and why: sent in the context headers, checked by the rules of a body's context. */
  context: QueryContext;
  /** Time until the answer's headers arrive. @unit milliseconds */
  timeoutMs: number;
  /** Longest wait for the next part of the body, with a transport that streams. @unit milliseconds @default the transport's */
  idleTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The request's `x-request-id`. @default a new UUID */
  requestId?: string | undefined;
  /** More headers to send (the client's `user-agent`); the protocol's own win. */
  headers?: Record<string, string> | undefined;
  /** See {@link SnapshotReadOptions.maxLineBytes}. */
  maxLineBytes?: number | undefined;
}

/** What one snapshot request gave. */
export type SnapshotFetch =
  | {
      kind: 'snapshot';
      requestId: string;
      /** The answer's lines, read as they stream: hand them to `OfflineStore.apply`. Iterate once. */
      lines: AsyncIterable<SnapshotChange | SnapshotEnd>;
    }
  /** The gateway no longer knows `since` (410): take a full snapshot. */
  | { kind: 'cursor-expired'; requestId: string };

async function readWhole(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(toBuffer(part));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Sends one snapshot request and reads its answer: `GET /v1/snapshots/{source}` with the context in its headers,
 * through the transport's `stream` when it has one (else `send`, holding the whole answer). A 410 to a delta is
 * `cursor-expired`; any other non-2xx status is the typed error `decode` gives for a read; a 2xx is read line by line
 * by {@link readSnapshot}. No retry here: the caller's policy decides.
 * @throws {InputError} before anything is sent, when `context` breaks its rules (rule 4), `source` is not a source, or
 * `since` is not a cursor: named by field, never by value.
 * @internal
 */
export async function fetchSnapshot(transport: Transport, options: FetchSnapshotOptions): Promise<SnapshotFetch> {
  const { source, since, timeoutMs, idleTimeoutMs, signal } = options;
  const context = parseContext(options.context);
  if (!(SOURCES as readonly unknown[]).includes(source)) throw new InputError('The snapshot request is invalid', [{ path: 'source', message: 'must be a source' }]);
  if (since !== undefined && (typeof since !== 'string' || !SNAPSHOT_CURSOR.test(since))) {
    throw new InputError('The snapshot request is invalid', [{ path: 'since', message: 'must be a cursor a snapshot answer gave' }]);
  }
  const requestId = options.requestId ?? newRequestId();
  const headers: Record<string, string> = { ...options.headers, ...contextHeaders(context), [HEADERS.requestId]: requestId };
  const request = { method: 'GET' as const, path: PATHS.snapshot(source, since), headers, timeoutMs, signal };
  let answer: StreamedResponse | { status: number; headers: Record<string, string | undefined>; body: string };
  try {
    answer = transport.stream !== undefined ? await transport.stream(idleTimeoutMs === undefined ? request : { ...request, idleTimeoutMs }) : await transport.send(request);
  } catch (err) {
    if (err instanceof BorderlinkError) err.requestId ??= requestId;
    throw err;
  }
  const { status } = answer;
  if (status < 200 || status >= 300) {
    const text = typeof answer.body === 'string' ? answer.body : await readWhole(answer.body);
    if (status === SNAPSHOT_CURSOR_EXPIRED_STATUS && since !== undefined) return { kind: 'cursor-expired', requestId };
    throw errorFromResponse({ status, headers: answer.headers, body: text }, true, { requestId });
  }
  return {
    kind: 'snapshot',
    requestId,
    lines: readSnapshot(typeof answer.body === 'string' ? once(answer.body) : answer.body, {
      source,
      since,
      maxLineBytes: options.maxLineBytes,
      signal,
      requestId,
      status,
    }),
  };
}

async function* once(text: string): AsyncGenerator<string, void, undefined> {
  if (text !== '') yield text;
}

/** The context headers of a `GET`. @internal */
export function contextHeaders(context: QueryContext): Record<string, string> {
  const headers: Record<string, string> = {
    [CONTEXT_HEADERS.authorityId]: context.authorityId,
    [CONTEXT_HEADERS.operatorId]: context.operatorId,
    [CONTEXT_HEADERS.purpose]: context.purpose,
  };
  if (context.locationId !== undefined) headers[CONTEXT_HEADERS.locationId] = context.locationId;
  return headers;
}

/**
 * A `GET`'s context, from its headers, for a gateway: the fields as the body's `context` would hold them (an absent
 * header is an absent field), to be checked by the same rules. An issue path `context.X` names header
 * `CONTEXT_HEADERS.X`: see {@link contextHeaderPath}. @internal
 */
export function contextOfHeaders(headers: Record<string, string | undefined>): Partial<QueryContext> {
  const context: Record<string, string> = {};
  for (const [field, header] of Object.entries(CONTEXT_HEADERS)) {
    const value = headers[header];
    if (value !== undefined) context[field] = value;
  }
  return context as Partial<QueryContext>;
}

/** The header path (`headers.x-operator-id`) of a context field's issue path (`context.operatorId`). @internal */
export function contextHeaderPath(path: string): string {
  const field = path.replace(/^context\./, '') as keyof QueryContext;
  return Object.hasOwn(CONTEXT_HEADERS, field) ? `headers.${CONTEXT_HEADERS[field]}` : 'headers';
}
