// The record format, written once for the writer and the verifier. Each line is one record in RFC 8785 canonical
// JSON (sorted keys, shortest numbers, no whitespace), so the same record always has the same bytes, and each record
// carries `prev`, the SHA-256 of the bytes of the line before it: a line changed, removed or moved breaks the link
// after it. The first record of a log links to GENESIS; a rotated file's first record links to the last line of the
// file before it, so the chain runs across files.
import canonicalize from 'canonicalize';
import { createHash, createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalText } from '../internal/canonical';

/** What the first record of a log links to: no line came before it. */
export const GENESIS = '0'.repeat(64);

/** The kinds of record. */
export const RECORD_TYPES = ['open', 'event', 'gap', 'checkpoint', 'retention', 'close'] as const;
/** One of {@link RECORD_TYPES}. */
export type RecordType = (typeof RECORD_TYPES)[number];

/** What every record has. */
export interface RecordBase {
  /** Position in the chain, from 0, without a gap across files. */
  seq: number;
  /** SHA-256 (hex) of the line before this one, {@link GENESIS} for the first. */
  prev: string;
  /** When the sink wrote it down (ISO 8601, UTC). */
  at: string;
  type: RecordType;
}

/** A file that retention removed, as the chain records it before the file goes. */
export interface RemovedFile {
  file: string;
  firstSeq: number;
  lastSeq: number;
  /** SHA-256 of its last line: what the first record after it links to. */
  lastHash: string;
  /** `at` of its last record. */
  lastAt: string;
}

/** Hex SHA-256 of a line's bytes (without its line break; a string is its UTF-8 bytes). */
export function lineHash(line: string | Uint8Array): string {
  return hash('sha256', line, 'hex');
}

/**
 * RFC 8785 canonical JSON of a value, as the writer makes it (see internal/canonical.ts).
 * @throws for a value JSON cannot hold (NaN, Infinity, a lone surrogate, a cycle).
 */
export function canonical(value: unknown): string {
  return canonicalText(value);
}

/**
 * RFC 8785 canonical JSON of a value read back, by the reference implementation: what the verifier holds each line to.
 * @throws for a value JSON cannot hold.
 */
export function referenceCanonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('not a JSON value');
  return text;
}

/**
 * The line of an audit event's record. Assembled around the event's own canonical text rather than canonicalising
 * the whole record: the record's keys are ours and already in canonical order (`at`, `event`, `prev`, `seq`, `type`),
 * and the values beside the event are strings and an integer, so the text is the same as `canonical(record)`.
 */
export function eventLine(seq: number, prev: string, at: string, eventText: string): string {
  return `{"at":"${at}","event":${eventText},"prev":"${prev}","seq":${seq},"type":"event"}`;
}

/** The line of any other record: its fields besides the four every record has. */
export function recordLine(seq: number, prev: string, at: string, type: Exclude<RecordType, 'event'>, fields: Record<string, unknown>): string {
  return canonical({ ...fields, seq, prev, at, type });
}

/** A key's id in checkpoints: the first 128 bits of the SHA-256 of its public key (SPKI, DER), hex. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

/**
 * A checkpoint: the chain head (its `prev`, the hash of the line before it, which links every line before that) signed
 * with Ed25519. The signature covers the canonical text of the record without `sig`.
 */
export function checkpointLine(seq: number, prev: string, at: string, privateKey: KeyObject, keyId: string): string {
  const unsigned = { seq, prev, at, type: 'checkpoint' as const, key: keyId };
  const sig = sign(null, Buffer.from(canonical(unsigned)), privateKey).toString('base64');
  return canonical({ ...unsigned, sig });
}

/** Whether a checkpoint record's signature verifies under `publicKey`. */
export function checkpointVerifies(record: Record<string, unknown>, publicKey: KeyObject): boolean {
  const { sig, ...unsigned } = record;
  if (typeof sig !== 'string') return false;
  try {
    return verify(null, Buffer.from(referenceCanonical(unsigned)), publicKey, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

const FILE_NAME = /^([A-Za-z0-9][A-Za-z0-9_-]{0,39})-(\d{8})-(\d{12})(?:-(\d{1,6}))?\.jsonl$/;

/** The name of a log file: prefix, UTC day it was opened, the seq of its first record, and a counter on a clash. */
export function fileName(prefix: string, day: string, firstSeq: number, n: number): string {
  return `${prefix}-${day}-${String(firstSeq).padStart(12, '0')}${n === 0 ? '' : `-${n}`}.jsonl`;
}

/** What a log file's name says, or undefined for a name that is not one. */
export function parseFileName(name: string): { prefix: string; day: string; firstSeq: number; n: number } | undefined {
  const m = FILE_NAME.exec(name);
  if (m === null) return undefined;
  return { prefix: m[1]!, day: m[2]!, firstSeq: Number(m[3]), n: m[4] === undefined ? 0 : Number(m[4]) };
}

/** The UTC day of an instant, as file names carry it (`YYYYMMDD`). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * A record's `at`, as the writer writes it (`Date#toISOString`): the one field of a record a verifier repeats, so a
 * line that holds anything else there (an escape sequence, a name) is not a record of the log.
 */
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether a parsed line has the fields every record has, of the right types. */
export function isRecord(value: unknown): value is RecordBase & Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(r.seq) &&
    (r.seq as number) >= 0 &&
    typeof r.prev === 'string' &&
    /^[0-9a-f]{64}$/.test(r.prev) &&
    typeof r.at === 'string' &&
    AT.test(r.at) &&
    typeof r.type === 'string' &&
    (RECORD_TYPES as readonly string[]).includes(r.type)
  );
}
