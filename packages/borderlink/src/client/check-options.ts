// The client's option schemas, one strict object per options type, all refused through the one option helper. Values
// the layers below check themselves (timeouts against the resilience rules, the context's fields as query input) are
// only named here, so each rule stays written once.
import { z } from 'zod';
import type { AuditEvent } from '../audit/index';
import { isAbortSignal } from '../internal/abort';
import { optionError, parseOptions } from '../internal/options';
import type { Logger } from '../logging/logger';
import { MAX_ITEMS_PER_REQUEST } from '../protocol/wire';
import { checkHeaders, type CheckedHeaders } from '../protocol/headers';
import type { QueryContext, Source } from '../queries/types';
import { RESILIENCE_OPTIONS_SHAPE, resolveCallOptions, type ResolvedResilience } from '../resilience/options';
import type { Transport } from '../transport/types';
import type { BatchOptions } from './batch';
import type { BatchingOptions } from './batching';
import type { OfflineOptions } from './offline';
import type { ClientObserver } from './observe';
import type { OutboxOptions, PendingOptions } from './outbox';
import type { SyncOptions } from './sync';
import { SOURCES } from '../queries/values';
import type { OfflineStore, OutboxStore } from '../stores/types';

/** The longest a batched call waits for others: longer is a unit mistake for a check someone waits on. @unit milliseconds */
const MAX_BATCH_DELAY_MS = 1000;
import type { MrzCheckOptions } from '../queries/mrz-check';
import type { CallOptions, ClientOptions, ConfirmationSettings, DerivedClientOptions, ReadOptions, WriteOptions } from './options';
import { CONFIRMATION_PRIORITIES } from '../queries/values';

const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';
const fn = <T>() => z.custom<T>(isFunction, { error: 'must be a function' }).optional();

function isTransport(value: unknown): value is Transport {
  const t = value as Partial<Transport> | undefined;
  return typeof t === 'object' && t !== null && typeof t.send === 'function' && typeof t.close === 'function' && typeof t.endpoint === 'string';
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const l = value as Record<string, unknown>;
  return typeof l.error === 'function' && typeof l.warn === 'function' && typeof l.info === 'function' && typeof l.debug === 'function';
}

/** A day: a longer interval is a unit mistake (seconds given as milliseconds the other way round). @unit milliseconds */
const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;
/**
 * A second: a shorter sync or replay interval is a unit mistake (seconds given as milliseconds) that would send the
 * gateway a request, and the disk a write, without pause. @unit milliseconds
 */
const MIN_INTERVAL_MS = 1000;
/** An interval of the client's timers: a whole number of milliseconds from a second to a day. */
const interval = (absent: string) => {
  const problem = `must be a whole number of milliseconds, at least ${MIN_INTERVAL_MS} and at most ${MAX_INTERVAL_MS} (${absent})`;
  return z.number({ error: problem }).refine((v) => Number.isInteger(v) && v >= MIN_INTERVAL_MS && v <= MAX_INTERVAL_MS, { error: problem }).optional();
};
/** Thirty days: a longer staleness or re-screening window is a unit mistake, and past every legal limit. @unit milliseconds */
const MAX_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** A minute: a shorter re-screening window is a unit mistake (hours given as milliseconds) that drops every delayed hit. @unit milliseconds */
const MIN_RESCREEN_WINDOW_MS = 60 * 1000;

const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && names.every((n) => typeof (value as Record<string, unknown>)[n] === 'function');
const isOutboxStore = (v: unknown): v is OutboxStore => hasMethods(v, ['enqueue', 'pending', 'pendingCount', 'attempted', 'delivered', 'rejected']);
const isOfflineStore = (v: unknown): v is OfflineStore =>
  hasMethods(v, ['apply', 'lookup', 'state', 'inventory', 'keepForRescreen', 'rescreenDue', 'settleRescreen']);

const integer = (min: number, max: number) => {
  const problem = `must be an integer from ${min} to ${max}`;
  return z.number({ error: problem }).refine((v) => Number.isInteger(v) && v >= min && v <= max, { error: problem }).optional();
};

/**
 * Whether `value` is an object of the kind an object literal makes (its prototype `Object.prototype` or null). A
 * Date, a Map or a class instance has no own keys a context could hold, or holds them beside behaviour of its own:
 * merged, it would read as an empty context or as something it was not meant to be.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const NOT_PLAIN_CONTEXT = 'must be a plain object (authorityId, operatorId, purpose, locationId)';

/** The context's keys: their values are query input, checked by parseContext with an InputError. */
const contextShape = {
  authorityId: z.unknown().optional(),
  operatorId: z.unknown().optional(),
  purpose: z.unknown().optional(),
  locationId: z.unknown().optional(),
} satisfies Record<keyof QueryContext, z.ZodType>;

/** A context option: a plain object of the context's keys (a non-object is refused by the object's own wording). */
const contextSchema = z
  .custom<unknown>((v) => typeof v !== 'object' || v === null || Array.isArray(v) || isPlainObject(v), { error: NOT_PLAIN_CONTEXT })
  .pipe(
    z.strictObject(contextShape, {
      error: (issue) => (issue.input === undefined ? 'is required (authorityId, operatorId, purpose)' : 'must be an object'),
    }),
  );

const clientOptionsSchema = z.strictObject({
  transport: z.custom<Transport>(isTransport, { error: 'must be a Transport (endpoint, send, close)' }),
  context: contextSchema,
  onAudit: fn<(event: AuditEvent) => void>(),
  logLevel: z.enum(['off', 'error', 'warn', 'info', 'debug']).optional(),
  logger: z.custom<Logger | null>((v) => v === null || isLogger(v), { error: 'must have error, warn, info and debug functions' }).optional(),
  privacy: z
    .strictObject({
      hashKey: z.custom<string | Uint8Array>((k) => typeof k === 'string' || k instanceof Uint8Array, { error: 'must be a string or a Uint8Array' }).optional(),
      includePersonalData: z.unknown().optional(),
    })
    .optional(),
  batching: z
    .union(
      [
        z.literal(false),
        z.strictObject({ maxItems: integer(1, MAX_ITEMS_PER_REQUEST), maxDelayMs: integer(0, MAX_BATCH_DELAY_MS) } satisfies Record<
          keyof BatchingOptions,
          z.ZodType
        >),
      ],
      { error: 'must be an object or false' },
    )
    .optional(),
  outbox: z
    .strictObject(
      {
        store: z.custom<OutboxStore>(isOutboxStore, { error: 'must be an OutboxStore (enqueue, pending, pendingCount, attempted, delivered, rejected)' }),
        flushIntervalMs: interval('leave it out for 30 seconds'),
      } satisfies Record<keyof OutboxOptions, z.ZodType>,
      { error: 'must be an object' },
    )
    .optional(),
  offline: z
    .strictObject(
      {
        store: z.custom<OfflineStore>(isOfflineStore, { error: 'must be an OfflineStore (apply, lookup, state, inventory, …)' }),
        mode: z.enum(['fallback', 'first'], { error: 'must be fallback or first' }).optional(),
        maxStalenessMs: integer(0, MAX_WINDOW_MS),
        rescreenWindowMs: integer(MIN_RESCREEN_WINDOW_MS, MAX_WINDOW_MS),
        syncIntervalMs: interval('leave it out to sync only when client.offline.sync() is called'),
        maxShrink: z
          .number({ error: 'must be a number from 0 to 1 (a share of the copy)' })
          .refine((v) => v >= 0 && v <= 1, { error: 'must be a number from 0 to 1 (a share of the copy)' })
          .optional(),
        sources: z
          .array(z.enum(SOURCES, { error: `must list sources (${SOURCES.join(', ')})` }), { error: 'must be an array of sources' })
          .min(1, { error: 'must list at least one source' })
          .optional(),
      } satisfies Record<keyof OfflineOptions, z.ZodType>,
      { error: 'must be an object' },
    )
    .optional(),
  telemetry: z
    .custom<ClientObserver>((v) => hasMethods(v, ['attach']), { error: 'must be a ClientObserver (attach), e.g. openTelemetry() from borderlink/telemetry' })
    .optional(),
  confirmations: z
    .strictObject(
      {
        deadlinesMs: z
          .strictObject(
            Object.fromEntries(CONFIRMATION_PRIORITIES.map((p) => [p, integer(1000, MAX_INTERVAL_MS)])) as Record<(typeof CONFIRMATION_PRIORITIES)[number], ReturnType<typeof integer>>,
            { error: 'must be an object' },
          )
          .optional(),
        pollIntervalMs: integer(100, 10 * 60 * 1000),
        maxPollIntervalMs: integer(100, 60 * 60 * 1000),
      } satisfies Record<keyof ConfirmationSettings, z.ZodType>,
      { error: 'must be an object' },
    )
    .refine((c) => c.maxPollIntervalMs === undefined || c.maxPollIntervalMs >= (c.pollIntervalMs ?? 2000), {
      error: 'must be at least pollIntervalMs',
      path: ['maxPollIntervalMs'],
    })
    .optional(),
  ...RESILIENCE_OPTIONS_SHAPE,
});

const sourceList = z
  .array(z.enum(SOURCES, { error: `must list sources (${SOURCES.join(', ')})` }), { error: 'must be an array of sources' })
  .min(1, { error: 'must list at least one source' });

const syncOptionsSchema = z.strictObject({
  sources: sourceList.optional(),
  signal: z.custom<AbortSignal>(isAbortSignal, { error: 'must be an AbortSignal' }).optional(),
  allowShrink: z.boolean({ error: 'must be true or false' }).optional(),
} satisfies Record<keyof SyncOptions, z.ZodType>);

/**
 * Checks the options of `client.offline.sync()`: a source to sync must be one the copy keeps (`kept`), since what a
 * state may hold offline is the integrator's choice, made once in `offline.sources`.
 * @throws {ConfigError} naming the option.
 */
export function checkSyncOptions(options: unknown, kept: readonly Source[]): void {
  if (options === undefined) return;
  const { sources } = parseOptions('client.offline.sync', syncOptionsSchema, options);
  sources?.forEach((source, i) => {
    if (!kept.includes(source)) throw optionError('client.offline.sync', `sources.${i}`, 'must be one of the sources the copy keeps (`offline.sources`)');
  });
}

const pendingOptionsSchema = z.strictObject({
  limit: integer(1, 10_000),
  after: integer(0, Number.MAX_SAFE_INTEGER).optional(),
} satisfies Record<keyof PendingOptions, z.ZodType>);

/** Checks the options of `client.outbox.pending()`. @throws {ConfigError} naming the option. */
export function checkPendingOptions(options: unknown): PendingOptions {
  return options === undefined ? {} : parseOptions('client.outbox.pending', pendingOptionsSchema, options);
}

const derivedShape = {
  context: contextSchema.optional(),
  timeoutMs: RESILIENCE_OPTIONS_SHAPE.timeoutMs,
  attemptTimeoutMs: RESILIENCE_OPTIONS_SHAPE.attemptTimeoutMs,
  retry: RESILIENCE_OPTIONS_SHAPE.retry,
  // Checked by the one rule of protocol/headers.ts, which names the header.
  headers: z.unknown().optional(),
} satisfies Record<keyof DerivedClientOptions, z.ZodType>;
const derivedOptionsSchema = z.strictObject(derivedShape);
/** createClient's options a derived client shares with its parent: every one it may not set. */
const SHARED_OPTIONS: ReadonlySet<string> = new Set(Object.keys(clientOptionsSchema.shape).filter((k) => !Object.hasOwn(derivedShape, k)));

/**
 * Checks the options of `client.withOptions`: an option that makes a client (shared with the parent) is refused by
 * name before any other problem, as an unknown one is.
 * @throws {ConfigError} naming the option.
 * @internal
 */
export function checkDerivedOptions(options: unknown): { options: DerivedClientOptions; headers: CheckedHeaders | undefined } {
  const scope = 'client.withOptions';
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    for (const key in options) {
      if (SHARED_OPTIONS.has(key)) {
        throw optionError(scope, key, 'is shared with the client it derives from and cannot be set here: make another client with createClient for another one');
      }
    }
  }
  const checked = parseOptions(scope, derivedOptionsSchema, options) as DerivedClientOptions;
  return { options: checked, headers: callHeaders(scope, checked.headers) };
}

/**
 * Checks createClient's options; the resilience options among them are resolved by resolveResilienceOptions.
 * @throws {ConfigError} naming the option.
 */
export function checkClientOptions(options: unknown): asserts options is ClientOptions {
  parseOptions('createClient', clientOptionsSchema, options);
}

const callShape = {
  context: contextSchema.optional(),
  signal: z.custom<AbortSignal>(isAbortSignal, { error: 'must be an AbortSignal' }).optional(),
  // Ranges are the resilience layer's (resolveCallOptions): only named here.
  timeoutMs: z.unknown().optional(),
  attemptTimeoutMs: z.unknown().optional(),
  // Checked by the one rule of protocol/headers.ts (checkHeaders), which names the header.
  headers: z.unknown().optional(),
};

const callOptionsSchema = z.strictObject({ ...callShape, sources: z.unknown().optional() } satisfies Record<keyof CallOptions, z.ZodType>);
const writeOptionsSchema = z.strictObject({ ...callShape, idempotencyKey: z.unknown().optional() } satisfies Record<keyof WriteOptions, z.ZodType>);

const mrzShape = {
  allowInvalidMrz: z.boolean().optional(),
  repair: z.boolean().optional(),
  referenceDate: z.custom<Date>((d) => d instanceof Date && !Number.isNaN(d.getTime()), { error: 'must be a valid Date' }).optional(),
};

const CALL_OPTION_NAMES = Object.keys(callOptionsSchema.shape) as (keyof CallOptions)[];
const CALL_OPTION_KEYS: ReadonlySet<string> = new Set(CALL_OPTION_NAMES);
const WRITE_OPTION_NAMES = Object.keys(writeOptionsSchema.shape) as (keyof WriteOptions)[];
const WRITE_OPTION_KEYS: ReadonlySet<string> = new Set(WRITE_OPTION_NAMES);
const CONTEXT_KEYS: ReadonlySet<string> = new Set(Object.keys(contextShape));

/** Whether every key of `value` (walked as zod walks a strict object's: `for…in`) is one of `known`. */
function onlyKnownKeys(value: object, known: ReadonlySet<string>): boolean {
  return unknownKey(value, known) === undefined;
}

/** The first key of `value`, walked as {@link onlyKnownKeys} walks it, that is not one of `known`. */
function unknownKey(value: object, known: ReadonlySet<string>): string | undefined {
  for (const key in value) if (!known.has(key)) return key;
  return undefined;
}

/**
 * The options `names` of a call's options object, each read once into a plain object of ours, or undefined when
 * `options` is not an object (the check refuses it). A getter or a Proxy is asked once: the value checked is the
 * value the call uses, never a second answer. A plain context is copied the same way, its own keys read once (as the
 * merge over the client's context reads them); anything else given as `context` is kept for the schema to refuse.
 */
function readOptionsOnce<K extends string>(options: unknown, names: readonly K[]): Partial<Record<K, unknown>> | undefined {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return undefined;
  const given = options as Record<string, unknown>;
  const out: Partial<Record<K, unknown>> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = given[name];
    if (value !== undefined) out[name] = value;
  }
  const context = (out as { context?: unknown }).context;
  if (isPlainObject(context)) (out as { context?: unknown }).context = { ...context };
  return out;
}

/** Refuses options that are not an object, or that hold a key no option of `known` has (the first such key named). */
function refuseShape(scope: string, options: unknown, known: ReadonlySet<string>, schema: z.ZodType): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    parseOptions(scope, schema, options);
    throw optionError(scope, '', 'must be an object');
  }
  const key = unknownKey(options, known);
  if (key !== undefined) throw optionError(scope, [key], 'is not known');
}

/**
 * Whether a read call's options are plainly what {@link callOptionsSchema} accepts: an object of known keys, a context
 * of known keys (its values are checked as query input), a signal that is an AbortSignal. The schema accepts exactly
 * these; anything else goes to it, for its wording of the error. A zod parse per call showed on the cached path.
 */
function plainCallOptions(options: unknown): boolean {
  if (typeof options !== 'object' || options === null || Array.isArray(options) || !onlyKnownKeys(options, CALL_OPTION_KEYS)) return false;
  const { context, signal } = options as CallOptions;
  if (context !== undefined && (!isPlainObject(context) || !onlyKnownKeys(context, CONTEXT_KEYS))) return false;
  return signal === undefined || isAbortSignal(signal);
}

/** A call's `headers`, checked, when it gave any. */
function callHeaders(scope: string, given: unknown): CheckedHeaders | undefined {
  return given === undefined ? undefined : checkHeaders(scope, 'headers', given);
}

/** A read call's options as checked: each read once from the caller's object. The call uses only these. @internal */
export interface CheckedCallOptions {
  readonly context: Partial<QueryContext> | undefined;
  readonly signal: AbortSignal | undefined;
  /** The call's own headers, checked (lower-case names), to lay over its client's. */
  readonly headers: CheckedHeaders | undefined;
  /** Checked against the subjects when the check is prepared. */
  readonly sources: Source[] | undefined;
  readonly timing: Readonly<{ timeoutMs: number; attemptTimeoutMs: number }>;
}

/** The checked options of a call that gave none. @internal */
export function noCallOptions(resilience: ResolvedResilience): CheckedCallOptions {
  return Object.freeze({ context: undefined, signal: undefined, headers: undefined, sources: undefined, timing: Object.freeze(resolveCallOptions(undefined, resilience)) });
}

/**
 * Reads a read call's options once and checks what it read (`scope` is the method).
 * @throws {ConfigError} naming the option.
 */
export function checkCallOptions(scope: string, options: CallOptions | undefined, resilience: ResolvedResilience): CheckedCallOptions | undefined {
  if (options === undefined) return undefined;
  // An unknown key is refused first, as the schema refuses it, without reading any value.
  refuseShape(scope, options, CALL_OPTION_KEYS, callOptionsSchema);
  const given = readOptionsOnce(options, CALL_OPTION_NAMES)!;
  if (!plainCallOptions(given)) parseOptions(scope, callOptionsSchema, given);
  const checked = given as CallOptions;
  return {
    context: checked.context,
    signal: checked.signal,
    headers: callHeaders(scope, checked.headers),
    sources: checked.sources,
    timing: Object.freeze(resolveCallOptions(checked, resilience, scope)),
  };
}

const readOptionsSchema = z.strictObject(callShape satisfies Record<keyof ReadOptions, z.ZodType>);
const READ_OPTION_NAMES = Object.keys(readOptionsSchema.shape) as (keyof ReadOptions)[];
const READ_OPTION_KEYS: ReadonlySet<string> = new Set(READ_OPTION_NAMES);

/** A read's options that is not a check (no `sources`), as checked. @internal */
export type CheckedReadOptions = Omit<CheckedCallOptions, 'sources'>;

/**
 * Reads the options of a read that is not a check once and checks what it read (`scope` is the method).
 * @throws {ConfigError} naming the option.
 * @internal
 */
export function checkReadOptions(scope: string, options: ReadOptions | undefined, resilience: ResolvedResilience): CheckedReadOptions {
  if (options === undefined) return { context: undefined, signal: undefined, headers: undefined, timing: resolveCallOptions(undefined, resilience) };
  refuseShape(scope, options, READ_OPTION_KEYS, readOptionsSchema);
  const given = readOptionsOnce(options, READ_OPTION_NAMES)!;
  parseOptions(scope, readOptionsSchema, given);
  const checked = given as ReadOptions;
  return { context: checked.context, signal: checked.signal, headers: callHeaders(scope, checked.headers), timing: resolveCallOptions(checked, resilience, scope) };
}

/** The call-option pre-check, for the test that holds it to the schema. @internal */
export const callOptionsAccepted = { plain: plainCallOptions, schema: (options: unknown) => callOptionsSchema.safeParse(options).success };

/** A write's options, each read once from the caller's object (see {@link readWriteOptions}). @internal */
export type WriteOptionsRead = Partial<Record<keyof WriteOptions, unknown>>;

/**
 * A write's options, each read once, before anything is checked: an error of the write says which idempotency key the
 * caller gave, the key read here and nowhere else. Undefined when there are none, or they are not an object.
 */
export function readWriteOptions(options: WriteOptions | undefined): WriteOptionsRead | undefined {
  return options === undefined ? undefined : readOptionsOnce(options, WRITE_OPTION_NAMES);
}

/** A write's options as checked; the idempotency key is checked as query input by the write itself. @internal */
export interface CheckedWriteOptions {
  readonly context: Partial<QueryContext> | undefined;
  readonly signal: AbortSignal | undefined;
  readonly headers: CheckedHeaders | undefined;
  readonly idempotencyKey: unknown;
  readonly timing: Readonly<{ timeoutMs: number; attemptTimeoutMs: number }>;
}

/**
 * Checks a write's options: `given` is what {@link readWriteOptions} read of `options`, and the only thing used.
 * @throws {ConfigError} naming the option.
 */
export function checkWriteOptions(
  scope: string,
  options: WriteOptions | undefined,
  given: WriteOptionsRead | undefined,
  resilience: ResolvedResilience,
): CheckedWriteOptions {
  if (options === undefined) return { context: undefined, signal: undefined, headers: undefined, idempotencyKey: undefined, timing: resolveCallOptions(undefined, resilience) };
  refuseShape(scope, options, WRITE_OPTION_KEYS, writeOptionsSchema);
  parseOptions(scope, writeOptionsSchema, given);
  const checked = given as WriteOptions;
  return {
    context: checked.context,
    signal: checked.signal,
    headers: callHeaders(scope, checked.headers),
    idempotencyKey: checked.idempotencyKey,
    timing: resolveCallOptions(checked, resilience, scope),
  };
}

const batchShape = {
  batchSize: integer(1, MAX_ITEMS_PER_REQUEST),
  concurrency: integer(1, 64),
  ordered: z.unknown().optional(),
  onProgress: fn<NonNullable<BatchOptions['onProgress']>>(),
  signal: z.unknown().optional(),
  // The same range as every other timeoutMs: each batch request is one call.
  timeoutMs: RESILIENCE_OPTIONS_SHAPE.timeoutMs,
  context: contextSchema.optional(),
  total: z
    .number({ error: 'must be a whole number of rows, 0 or more' })
    .refine((v) => Number.isSafeInteger(v) && v >= 0, { error: 'must be a whole number of rows, 0 or more' })
    .optional(),
  headers: z.unknown().optional(),
} satisfies Record<keyof BatchOptions, z.ZodType>;

const batchOptionsSchema = z.strictObject(batchShape);
/** What a method checks when it is called. */
const batchEntrySchema = z.object({ context: contextSchema.optional() });
const mrzBatchEntrySchema = z.object({ context: contextSchema.optional(), ...mrzShape });

const MRZ_CALL_OPTION_NAMES = [...CALL_OPTION_NAMES, ...(Object.keys(mrzShape) as (keyof MrzCheckOptions)[])];
const MRZ_CALL_OPTION_KEYS: ReadonlySet<string> = new Set(MRZ_CALL_OPTION_NAMES);

/**
 * checkMrz's options, each read once: the MRZ ones and the context checked now, before the MRZ is read, and the
 * call's own (a plain object of ours) handed to the read path, which checks them as any check's.
 * @throws {ConfigError} naming the option.
 * @internal
 */
export function checkMrzCallOptions(scope: string, options: unknown): { mrz: MrzCheckOptions; call: CallOptions } {
  refuseShape(scope, options, MRZ_CALL_OPTION_KEYS, mrzBatchEntrySchema);
  const given = readOptionsOnce(options, MRZ_CALL_OPTION_NAMES)!;
  parseOptions(scope, mrzBatchEntrySchema, given);
  const { allowInvalidMrz, repair, referenceDate, ...call } = given as CallOptions & MrzCheckOptions;
  return { mrz: { allowInvalidMrz, repair, referenceDate }, call };
}

/**
 * The options checked as soon as a method is called, before its input is read: that they are an object, the context,
 * and the MRZ options of checkMrz and checkManyMrz. The rest is checked with the call's own options (a batch's when
 * its iteration starts: see {@link resolveBatchOptions}).
 */
export function checkEntryOptions(scope: string, options: unknown, mrz: boolean): void {
  parseOptions(scope, mrz ? mrzBatchEntrySchema : batchEntrySchema, options);
}

/** A batch's settings, with the defaults. @throws {ConfigError} naming the option. */
export function resolveBatchOptions(
  scope: string,
  options: BatchOptions,
): { batchSize: number; concurrency: number; ordered: boolean; headers: CheckedHeaders | undefined } {
  // checkManyMrz hands over its options without the MRZ ones, which it checked when it was called.
  parseOptions(scope, batchOptionsSchema, options);
  return { batchSize: options.batchSize ?? 100, concurrency: options.concurrency ?? 4, ordered: options.ordered === true, headers: callHeaders(scope, options.headers) };
}

/** Refuses an iterable that is not one. */
export function checkRows(scope: string, items: unknown, shape: string): void {
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
    throw optionError(scope, 'items', `must be an iterable or async iterable of ${shape}`);
  }
}

/** Listener checks of client.on, in the same format. */
export function checkListener(type: unknown, listener: unknown, known: ReadonlySet<string>): void {
  if (typeof type !== 'string' || !known.has(type)) throw optionError('client.on', 'type', `must be ${[...known].join(', ')}`);
  if (typeof listener !== 'function') throw optionError('client.on', 'listener', 'must be a function');
}
