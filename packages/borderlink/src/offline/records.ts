// The lines of a snapshot as the store takes them: strict on what the copy is keyed and counted by (the op, the
// source, the record id, the key fields, the end line's numbers), and no further, since the rest only describes a hit
// and is sealed as it came. A refusal names the line and the field, never a value.
import { ProtocolError } from '../errors/index';
import type { Source } from '../queries/types';
import { offlineKeysOf } from '../stores/keys';
import type { OfflineRecord, SnapshotChange, SnapshotEnd } from '../stores/types';
import { UPSERT_BIT, type StagedLines } from './crypto';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Where each source's record keeps the fields its lookup keys are made of, and which of them are lists. */
const KEY_FIELDS: Readonly<Record<Source, { part: 'document' | 'person' | 'vehicle'; text: readonly string[]; lists: readonly string[] }>> = {
  SLTD: { part: 'document', text: ['documentNumber', 'issuingState'], lists: [] },
  TDAWN: { part: 'document', text: ['documentNumber', 'issuingState'], lists: [] },
  NOMINAL: { part: 'person', text: ['surname', 'dateOfBirth'], lists: ['givenNames'] },
  SMV: { part: 'vehicle', text: ['vin', 'plate', 'registrationCountry'], lists: [] },
};

function refuse(source: Source, line: number, problem: string): ProtocolError {
  return new ProtocolError(`The ${source} snapshot broke the protocol at line ${line}: ${problem}`);
}

/** A change or the end line, checked; `line` counts from 1. */
export function readLine(value: unknown, source: Source, line: number): SnapshotChange | SnapshotEnd {
  if (!isObject(value)) throw refuse(source, line, 'it is not an object');
  switch (value.op) {
    case 'upsert':
      return { op: 'upsert', record: readRecord(value.record, source, line) };
    case 'delete':
      if (value.source !== source) throw refuse(source, line, '`source` is not the source asked for');
      if (!isText(value.recordId)) throw refuse(source, line, '`recordId` must be a non-empty string');
      return { op: 'delete', source, recordId: value.recordId };
    case 'end':
      return readEnd(value, source, line);
    default:
      throw refuse(source, line, "`op` must be 'upsert', 'delete' or 'end'");
  }
}

function readRecord(record: unknown, source: Source, line: number): OfflineRecord {
  if (!isObject(record)) throw refuse(source, line, '`record` must be an object');
  if (record.source !== source) throw refuse(source, line, '`record.source` is not the source asked for');
  if (!isText(record.recordId)) throw refuse(source, line, '`record.recordId` must be a non-empty string');
  // Descriptive: absent when the reader could not read it (the record is kept, as a hit would be).
  if (record.ownerCountry !== undefined && typeof record.ownerCountry !== 'string') throw refuse(source, line, '`record.ownerCountry` must be a string when present');
  const { part, text, lists } = KEY_FIELDS[source];
  const fields = record[part];
  if (!isObject(fields)) throw refuse(source, line, `\`record.${part}\` must be an object`);
  for (const name of text) {
    if (fields[name] !== undefined && typeof fields[name] !== 'string') throw refuse(source, line, `\`record.${part}.${name}\` must be a string`);
  }
  for (const name of lists) {
    const list = fields[name];
    if (list !== undefined && !(Array.isArray(list) && list.every((v) => typeof v === 'string'))) {
      throw refuse(source, line, `\`record.${part}.${name}\` must be a list of strings`);
    }
  }
  return record as unknown as OfflineRecord;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function readEnd(value: Record<string, unknown>, source: Source, line: number): SnapshotEnd {
  if (value.source !== source) throw refuse(source, line, '`source` is not the source asked for');
  if (!isText(value.cursor)) throw refuse(source, line, '`cursor` must be a non-empty string');
  if (!isText(value.dataAsOf) || Number.isNaN(Date.parse(value.dataAsOf))) throw refuse(source, line, '`dataAsOf` must be an ISO 8601 time');
  if (typeof value.full !== 'boolean') throw refuse(source, line, '`full` must be a boolean');
  if (!isCount(value.changes)) throw refuse(source, line, '`changes` must be a whole number');
  if (!isCount(value.recordCount)) throw refuse(source, line, '`recordCount` must be a whole number');
  if (value.contentHash !== undefined && typeof value.contentHash !== 'string') throw refuse(source, line, '`contentHash` must be a string');
  const end: SnapshotEnd = {
    op: 'end',
    source,
    cursor: value.cursor,
    dataAsOf: value.dataAsOf,
    full: value.full,
    changes: value.changes,
    recordCount: value.recordCount,
  };
  if (value.contentHash !== undefined) end.contentHash = value.contentHash;
  return end;
}

/** The refusal of a snapshot whose lines do not add up to what its end line says. */
export function snapshotMismatch(source: Source, problem: string): ProtocolError {
  return new ProtocolError(`The ${source} snapshot was not applied: ${problem}; the copy stays as it was`);
}

/**
 * A batch of changes of one source as the store hashes and seals them ({@link StagedLines}): for each, the text its
 * record id is hashed from (`id` NUL the id), its lookup keys by the one key rule, and an upsert's record as JSON,
 * written as UTF-8 one after the other into one buffer.
 * @internal
 */
export class LineBatch {
  readonly #scope: Source;
  #text: Buffer;
  #at = 0;
  #ends: Uint32Array;
  #fields = 0;
  readonly #shape: Uint8Array;
  /** Changes in the batch. */
  size = 0;
  /** Most lookup keys of a change in the batch. */
  maxKeys = 0;

  /** A batch of at most `capacity` changes of `source`. */
  constructor(source: Source, readonly capacity: number) {
    this.#scope = source;
    this.#text = Buffer.allocUnsafeSlow(400 * capacity);
    this.#ends = new Uint32Array(4 * capacity);
    this.#shape = new Uint8Array(capacity);
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  add(change: SnapshotChange): void {
    if (change.op === 'delete') {
      this.#write(`id\u0000${change.recordId}`);
      this.#shape[this.size++] = 0;
      return;
    }
    const keys = offlineKeysOf(change.record);
    // A record of protocol v1 has at most two keys (a vehicle's VIN and plate): far from the bits of a shape.
    if (keys.length > 0x7f) throw new RangeError('a record has more lookup keys than a staged line holds');
    if (keys.length > this.maxKeys) this.maxKeys = keys.length;
    this.#write(`id\u0000${change.record.recordId}`);
    for (const key of keys) this.#write(key);
    this.#write(JSON.stringify(change.record));
    this.#shape[this.size++] = UPSERT_BIT | keys.length;
  }

  /** The batch's lines, as they are now. */
  lines(): StagedLines {
    return { scope: this.#scope, text: this.#text.subarray(0, this.#at), ends: this.#ends.subarray(0, this.#fields), shape: this.#shape.subarray(0, this.size) };
  }

  #write(text: string): void {
    // A UTF-8 byte per code unit at most three: room for that, so nothing is measured twice.
    if (this.#at + 3 * text.length > this.#text.length) {
      const bigger = Buffer.allocUnsafeSlow(2 * (this.#at + 3 * text.length));
      this.#text.copy(bigger, 0, 0, this.#at);
      this.#text = bigger;
    }
    if (this.#fields === this.#ends.length) {
      const bigger = new Uint32Array(2 * this.#ends.length);
      bigger.set(this.#ends);
      this.#ends = bigger;
    }
    this.#at += this.#text.write(text, this.#at, 'utf8');
    this.#ends[this.#fields++] = this.#at;
  }
}
