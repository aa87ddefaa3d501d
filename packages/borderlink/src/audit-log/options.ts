// The options of openAuditLog and verifyAuditLog, refused through the one option helper.
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { z } from 'zod';
import { optionError, parseOptions } from '../internal/options';

/** How often the sink makes the file's data durable (`fdatasync`). */
export type AuditFsync = 'batch' | 'never' | { everyMs: number };

/**
 * Options of {@link openAuditLog}.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { openAuditLog } from 'borderlink/audit';
 *
 * const audit = openAuditLog({
 *   dir: '/var/log/border-lane/audit',
 *   checkpoint: { privateKey: readFileSync('/run/secrets/audit-signing-key.pem') },
 *   retention: { maxAgeDays: 730 },
 * });
 * ```
 */
export interface AuditLogOptions {
  /** The folder of the log's files; made when missing. One process writes a folder's log at a time. */
  dir: string;
  /** How file names start: `<prefix>-<YYYYMMDD>-<first seq>.jsonl`. Letters, digits, `-` and `_`. @default 'audit' */
  prefix?: string | undefined;
  /**
   * When a new file starts: once the current one holds `maxBytes`, and (with `daily`) on the first write of a new UTC
   * day. A file also starts each time the log is opened. The chain runs on across files.
   * @default { maxBytes: 67108864, daily: true }
   */
  rotate?: {
    /** @unit bytes @default 67108864 (64 MiB) */
    maxBytes?: number | undefined;
    /** @default true */
    daily?: boolean | undefined;
  } | undefined;
  /**
   * When written lines are made durable: `batch` syncs after every write of the events that came in meanwhile (each
   * batch is one `write` and one `fdatasync`); `{ everyMs }` at most that often; `never` leaves it to the system.
   * @default 'batch'
   */
  fsync?: AuditFsync | undefined;
  /**
   * The shortest time between two writes: events that come meanwhile go in the next write (and its one sync). Each
   * write costs far more than the bytes it carries, so under load this is what keeps the log cheap; it is also how
   * long an event may wait in memory before its write starts.
   * @unit milliseconds
   * @default 5
   */
  writeIntervalMs?: number | undefined;
  /**
   * Signed checkpoints of the chain head, with your Ed25519 key (PEM text, or a `KeyObject`): every `everyEvents`
   * records, every `everyMs` when anything was written since the last, and when the log closes. A verifier holding
   * the public key can then tell that nothing before a checkpoint was changed, and give the checkpoint to you to keep
   * elsewhere (`onNotice`).
   * @default none: the chain alone
   */
  checkpoint?: {
    privateKey: KeyObject | string | Uint8Array;
    /** @default 1000 */
    everyEvents?: number | undefined;
    /** @unit milliseconds @default 60000 */
    everyMs?: number | undefined;
  } | undefined;
  /**
   * Files whose last record is older than `maxAgeDays` are removed, whole and oldest first, never the current one; the
   * chain records each removal (file, seqs, last hash) before the file goes. Checked at open and at each new file.
   * @default none: nothing is removed
   */
  retention?: {
    maxAgeDays: number;
  } | undefined;
  /**
   * Events kept in memory while the disk cannot take them. Beyond it, events are counted and dropped, and once the
   * sink writes again a `gap` record says how many, from when to when, and why.
   * @default 10000
   */
  maxBufferedEvents?: number | undefined;
  /**
   * What the sink has to say: a write that failed, events being dropped, writing again, the gap recorded for the events
   * dropped, each checkpoint, files retention removed.
   * @default failures, drops, recovery and gaps as process warnings (`process.emitWarning`), the rest nowhere
   */
  onNotice?: ((notice: AuditLogNotice) => void) | undefined;
}

/** A signed chain head, as a checkpoint record holds it: keep a copy away from the log. */
export interface AuditCheckpoint {
  /** The checkpoint record's seq. */
  seq: number;
  /** SHA-256 of the line before it: the head it signs. */
  prev: string;
  at: string;
  /** The signing key's id (see the verifier's output). */
  key: string;
  /** Ed25519 signature, base64. */
  sig: string;
}

/** What the sink tells `onNotice`. Never an event's content. */
export type AuditLogNotice =
  | { type: 'write-failed'; code: string; buffered: number }
  | { type: 'dropping'; reason: string; buffered: number }
  | { type: 'recovered'; failedForMs: number }
  | { type: 'gap'; dropped: number; reason: string }
  | { type: 'checkpoint'; checkpoint: AuditCheckpoint }
  | { type: 'removed'; files: string[] };

const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_FILE_BYTES = 4096;
const FILE_BYTES = `must be an integer from ${MIN_FILE_BYTES} to ${2 ** 40} bytes`;

const positive = (max: number, problem: string) =>
  z.number({ error: problem }).refine((v) => Number.isInteger(v) && v >= 1 && v <= max, { error: problem }).optional();

const isKeyInput = (v: unknown) => v instanceof KeyObject || typeof v === 'string' || v instanceof Uint8Array;

const schema = z.strictObject({
  dir: z.string({ error: 'must be a folder path' }).refine((d) => d.trim() !== '', { error: 'must be a folder path' }),
  prefix: z
    .string({ error: 'must be a string' })
    .refine((p) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(p), { error: 'must be 1 to 40 letters, digits, - or _, starting with a letter or digit' })
    .optional(),
  rotate: z
    .strictObject({
      maxBytes: z
        .number({ error: FILE_BYTES })
        .refine((v) => Number.isInteger(v) && v >= MIN_FILE_BYTES && v <= 2 ** 40, { error: FILE_BYTES })
        .optional(),
      daily: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .optional(),
  fsync: z
    .union([z.enum(['batch', 'never']), z.strictObject({ everyMs: positive(DAY_MS, 'must be an integer from 1 to 86400000 milliseconds').unwrap() })], {
      error: "must be 'batch', 'never' or { everyMs }",
    })
    .optional(),
  writeIntervalMs: z
    .number({ error: 'must be an integer from 0 to 1000 milliseconds' })
    .refine((v) => Number.isInteger(v) && v >= 0 && v <= 1000, { error: 'must be an integer from 0 to 1000 milliseconds' })
    .optional(),
  checkpoint: z
    .strictObject({
      privateKey: z.custom<KeyObject | string | Uint8Array>(isKeyInput, { error: 'must be an Ed25519 private key (PEM text or a KeyObject)' }),
      everyEvents: positive(10_000_000, 'must be an integer from 1 to 10000000'),
      everyMs: positive(DAY_MS, 'must be an integer from 1 to 86400000 milliseconds'),
    })
    .optional(),
  retention: z.strictObject({ maxAgeDays: positive(36_500, 'must be an integer from 1 to 36500 days').unwrap() }).optional(),
  maxBufferedEvents: positive(10_000_000, 'must be an integer from 1 to 10000000'),
  onNotice: z.custom<(notice: AuditLogNotice) => void>((v) => typeof v === 'function', { error: 'must be a function' }).optional(),
});

/** The options with every default filled in. @internal */
export interface ResolvedAuditLogOptions {
  dir: string;
  prefix: string;
  maxBytes: number;
  daily: boolean;
  fsync: AuditFsync;
  writeIntervalMs: number;
  checkpoint: { privateKey: KeyObject; everyEvents: number; everyMs: number } | undefined;
  retentionMs: number | undefined;
  maxBufferedEvents: number;
  onNotice: ((notice: AuditLogNotice) => void) | undefined;
}

/** @internal */
export function resolveAuditLogOptions(options: unknown): ResolvedAuditLogOptions {
  const o = parseOptions('openAuditLog', schema, options);
  return {
    dir: o.dir,
    prefix: o.prefix ?? 'audit',
    maxBytes: o.rotate?.maxBytes ?? 64 * 1024 * 1024,
    daily: o.rotate?.daily ?? true,
    fsync: o.fsync ?? 'batch',
    writeIntervalMs: o.writeIntervalMs ?? 5,
    checkpoint:
      o.checkpoint === undefined
        ? undefined
        : { privateKey: signingKey(o.checkpoint.privateKey), everyEvents: o.checkpoint.everyEvents ?? 1000, everyMs: o.checkpoint.everyMs ?? 60_000 },
    retentionMs: o.retention === undefined ? undefined : o.retention.maxAgeDays * DAY_MS,
    maxBufferedEvents: o.maxBufferedEvents ?? 10_000,
    onNotice: o.onNotice,
  };
}

function signingKey(input: KeyObject | string | Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = input instanceof KeyObject ? input : createPrivateKey(typeof input === 'string' ? input : Buffer.from(input));
  } catch {
    throw optionError('openAuditLog', 'checkpoint.privateKey', 'must be an Ed25519 private key (PEM text or a KeyObject); it could not be read');
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw optionError('openAuditLog', 'checkpoint.privateKey', 'must be an Ed25519 private key (openssl genpkey -algorithm ed25519)');
  }
  return key;
}

/**
 * Options of {@link verifyAuditLog}.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { verifyAuditLog } from 'borderlink/audit';
 *
 * const report = await verifyAuditLog(['/var/log/border-lane/audit'], { publicKey: readFileSync('audit-signing-key.pub.pem', 'utf8') });
 * ```
 */
export interface VerifyAuditLogOptions {
  /**
   * The Ed25519 public key (PEM text or a `KeyObject`) the checkpoints are checked with. Without it, checkpoints are
   * counted but not checked, and the report says so.
   */
  publicKey?: KeyObject | string | Uint8Array | undefined;
  /** With folders among the paths: the prefix of the log's file names. @default every log file in the folder */
  prefix?: string | undefined;
  /**
   * Checkpoints kept away from the log (as `onNotice` gave them): each must be in the log as it was signed, or the
   * report breaks with `checkpoint-not-found`. The one way to tell a log whose end was cut away from one that ends
   * there.
   * @default none
   */
  checkpoints?: readonly AuditCheckpoint[] | undefined;
}

const checkpointSchema = z.strictObject(
  {
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    prev: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    key: z.string().regex(/^[0-9a-f]{32}$/),
    sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
    type: z.literal('checkpoint').optional(),
  },
  { error: 'must be a checkpoint as onNotice gave it ({ seq, prev, at, key, sig })' },
);

const verifySchema = z.strictObject({
  publicKey: z.custom<KeyObject | string | Uint8Array>(isKeyInput, { error: 'must be an Ed25519 public key (PEM text or a KeyObject)' }).optional(),
  prefix: schema.shape.prefix,
  checkpoints: z.array(checkpointSchema, { error: 'must be an array of checkpoints' }).max(1_000_000).optional(),
});

/** @internal */
export function resolveVerifyOptions(options: unknown): { publicKey: KeyObject | undefined; prefix: string | undefined; checkpoints: AuditCheckpoint[] } {
  const o = parseOptions('verifyAuditLog', verifySchema, options ?? {});
  const checkpoints = (o.checkpoints ?? []).map(({ seq, prev, at, key, sig }) => ({ seq, prev, at, key, sig }));
  if (o.publicKey === undefined) return { publicKey: undefined, prefix: o.prefix, checkpoints };
  let key: KeyObject;
  try {
    key = o.publicKey instanceof KeyObject ? o.publicKey : createPublicKey(typeof o.publicKey === 'string' ? o.publicKey : Buffer.from(o.publicKey));
  } catch {
    throw optionError('verifyAuditLog', 'publicKey', 'must be an Ed25519 public key (PEM text or a KeyObject); it could not be read');
  }
  if (key.type === 'private') key = createPublicKey(key);
  if (key.asymmetricKeyType !== 'ed25519') throw optionError('verifyAuditLog', 'publicKey', 'must be an Ed25519 public key');
  return { publicKey: key, prefix: o.prefix, checkpoints };
}
