// The resilience options as a caller writes them, and their resolution into finite, checked values. Every option is
// refused by name when unknown or out of range: a typo in a timeout must not silently become the default.
import { z } from 'zod';
import { optionError, parseOptions } from '../internal/options';

/**
 * The clock the layer reads and sets timers on. Inject one in tests to drive time by hand.
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) };
 * ```
 */
export interface Clock {
  /** Current time in epoch milliseconds. Should be monotonic. @unit milliseconds */
  now(): number;
  /** Schedules `fn` after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer from {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}

/** How failed attempts are tried again. */
export interface RetryOptions {
  /**
   * How many times a failed attempt is tried again (so at most `retries + 1` attempts). Writes are retried too: they
   * carry the same idempotency key on every attempt, so the gateway stores them once.
   * @default 2
   */
  retries?: number | undefined;
  /** Back-off before the first retry, before jitter; doubles with each retry. @unit milliseconds @default 50 */
  minDelayMs?: number | undefined;
  /** Upper bound of one back-off wait, before jitter. @unit milliseconds @default 1000 */
  maxDelayMs?: number | undefined;
  /**
   * `full`: wait a random time between 0 and the back-off (spreads the retries of many clients after a blip, so they
   * do not all hit a recovering gateway at the same instant). `none`: wait exactly the back-off.
   * @default 'full'
   */
  jitter?: 'full' | 'none' | undefined;
}

/**
 * A token bucket shared by all calls of a client, in the spirit of the AWS SDK's standard retry mode: each retry (and
 * each hedged attempt) takes tokens, each success puts some back. Under sustained failure the bucket empties and
 * calls stop retrying, so retries cannot multiply the load on a gateway that is already failing. First attempts never
 * take tokens and are never refused.
 */
export interface RetryBudgetOptions {
  /** Tokens in a full bucket. @default 500 */
  capacity?: number | undefined;
  /** Tokens a retry after a failure (or a hedged attempt) takes. @default 5 */
  retryCost?: number | undefined;
  /** Tokens a retry after a timeout takes: a timeout is the most expensive failure for a struggling gateway. @default 10 */
  timeoutCost?: number | undefined;
  /**
   * Tokens a call that succeeded at its first attempt puts back. A call that succeeded after a retry puts back
   * what that last retry took instead.
   * @default 1
   */
  successRefund?: number | undefined;
}

/**
 * The circuit breaker, one per gateway endpoint (`transport.endpoint`). After `failureThreshold` calls in a row fail
 * in a way that says the gateway is unhealthy (connection failed, timeout, 5xx, 408, a cut-off body), calls fail fast
 * with a `CircuitOpenError` for `openMs`; then `halfOpenProbes` calls go through as probes: one success closes the
 * breaker, one failure opens it again. Answers that show the gateway is up (2xx, 4xx, 429) reset the count.
 */
export interface BreakerOptions {
  /** Calls in a row that must fail before the breaker opens. @default 5 */
  failureThreshold?: number | undefined;
  /** How long the breaker stays open before it lets probes through. @unit milliseconds @default 5000 */
  openMs?: number | undefined;
  /** How many calls may probe the gateway at the same time while half-open. @default 1 */
  halfOpenProbes?: number | undefined;
}

/**
 * The client's cache of complete check answers. Off unless a TTL is above 0. Keys are keyed hashes (SHA-256 under
 * `privacy.hashKey`) of the query, never the searched values. Only complete answers are stored: an `INCOMPLETE` verdict never is.
 */
export interface CacheOptions {
  /** Most answers kept; the least recently used go first. @default 10000 */
  max?: number | undefined;
  /**
   * How long a `HIT` or `POSSIBLE_HIT` answer is reused. 0 stores none. Keep it short: a hit may be withdrawn.
   * @unit milliseconds @default 0
   */
  hitTtlMs?: number | undefined;
  /**
   * How long a `NO_HIT` answer is reused. 0 stores none. Keep it short: a document may be reported stolen at any
   * time, and a reused NO_HIT would miss it.
   * @unit milliseconds @default 0
   */
  noHitTtlMs?: number | undefined;
}

/**
 * How calls to the gateway survive a poor link: one deadline per call, retries with back-off and a retry budget, a
 * circuit breaker, optional hedging, an optional cache and de-duplication of identical checks.
 * @example
 * ```ts
 * createClient({ transport, context, timeoutMs: 5000, retry: { retries: 3 }, cache: { hitTtlMs: 0, noHitTtlMs: 30_000 } });
 * ```
 */
export interface ResilienceOptions {
  /**
   * The whole call's deadline, retries and back-off included. When it passes the call rejects with a
   * `TimeoutError` (`scope: 'call'`), never with a result. Can be set per call.
   * @unit milliseconds @default 3000
   */
  timeoutMs?: number | undefined;
  /**
   * The longest one attempt may take; each attempt gets the smaller of this and the time left. Shorter than
   * `timeoutMs` so that a hung connection leaves time for a second attempt. Can be set per call.
   * @unit milliseconds @default half of the call's `timeoutMs`
   */
  attemptTimeoutMs?: number | undefined;
  /** Retries with exponential back-off, or `false` for one attempt per call. @default { retries: 2, minDelayMs: 50, maxDelayMs: 1000, jitter: 'full' } */
  retry?: RetryOptions | false | undefined;
  /** The retry budget, or `false` to retry without one. @default { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 } */
  retryBudget?: RetryBudgetOptions | false | undefined;
  /** The circuit breaker, or `false` for none. @default { failureThreshold: 5, openMs: 5000, halfOpenProbes: 1 } */
  breaker?: BreakerOptions | false | undefined;
  /**
   * Reads only: after this long without an answer, a second attempt races the first; the first complete answer
   * wins and the other is aborted. Costs the gateway a second request, so hedges take retry-budget tokens. Off when
   * absent.
   * @unit milliseconds @default undefined (off)
   */
  hedgeAfterMs?: number | undefined;
  /** The answer cache. @default { max: 10000, hitTtlMs: 0, noHitTtlMs: 0 } (off) */
  cache?: CacheOptions | undefined;
  /**
   * Identical read checks in flight at the same time share one gateway request (each caller still gets its own
   * result and can abort alone).
   * @default true
   */
  dedupe?: boolean | undefined;
  /** The clock for deadlines, back-off, the breaker and the cache. For tests. @default performance-based clock and global timers */
  clock?: Clock | undefined;
  /** Random numbers in [0, 1) for jitter. For tests. @default Math.random */
  random?: (() => number) | undefined;
}

/** The per-call options the layer knows. */
export type CallResilienceOptions = Pick<ResilienceOptions, 'timeoutMs' | 'attemptTimeoutMs'>;

/** Resilience options with every default filled in and every value checked. @internal */
export interface ResolvedResilience {
  readonly timeoutMs: number;
  /** Undefined: half of each call's deadline. */
  readonly attemptTimeoutMs: number | undefined;
  readonly retry: Readonly<Required<RetryOptions>> | false;
  readonly retryBudget: Readonly<Required<RetryBudgetOptions>> | false;
  readonly breaker: Readonly<Required<BreakerOptions>> | false;
  readonly hedgeAfterMs: number | undefined;
  readonly cache: Readonly<Required<CacheOptions>>;
  readonly dedupe: boolean;
  readonly clock: Clock;
  readonly random: () => number;
}

/** The defaults, in one place. */
export const RESILIENCE_DEFAULTS = Object.freeze({
  timeoutMs: 3000,
  retry: Object.freeze({ retries: 2, minDelayMs: 50, maxDelayMs: 1000, jitter: 'full' as const }),
  retryBudget: Object.freeze({ capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 }),
  breaker: Object.freeze({ failureThreshold: 5, openMs: 5000, halfOpenProbes: 1 }),
  cache: Object.freeze({ max: 10_000, hitTtlMs: 0, noHitTtlMs: 0 }),
  dedupe: true,
});

/** The longest deadline or wait accepted: ten minutes. Longer values are almost always a unit mistake. */
const MAX_MS = 600_000;
/** The longest cache TTL accepted: one day. */
const MAX_TTL_MS = 86_400_000;

const origin = performance.timeOrigin;
/** Epoch-based but monotonic: a wall-clock step must not shorten or stretch a deadline. */
export const systemClock: Clock = Object.freeze({
  now: () => origin + performance.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
  /** Whether the minimum itself is refused (for values that must be above 0). */
  exclusiveMin?: boolean;
}

// Each option's range, as data: the resolver walks it.
const RULES = {
  timeoutMs: { min: 0, max: MAX_MS, exclusiveMin: true },
  attemptTimeoutMs: { min: 0, max: MAX_MS, exclusiveMin: true },
  hedgeAfterMs: { min: 0, max: MAX_MS, exclusiveMin: true },
  'retry.retries': { min: 0, max: 10, integer: true },
  'retry.minDelayMs': { min: 0, max: MAX_MS },
  'retry.maxDelayMs': { min: 0, max: MAX_MS },
  'retryBudget.capacity': { min: 1, max: 1_000_000, integer: true },
  'retryBudget.retryCost': { min: 0, max: 1_000_000, integer: true },
  'retryBudget.timeoutCost': { min: 0, max: 1_000_000, integer: true },
  'retryBudget.successRefund': { min: 0, max: 1_000_000, integer: true },
  'breaker.failureThreshold': { min: 1, max: 1000, integer: true },
  'breaker.openMs': { min: 0, max: MAX_MS, exclusiveMin: true },
  'breaker.halfOpenProbes': { min: 1, max: 100, integer: true },
  'cache.max': { min: 1, max: 10_000_000, integer: true },
  'cache.hitTtlMs': { min: 0, max: MAX_TTL_MS },
  'cache.noHitTtlMs': { min: 0, max: MAX_TTL_MS },
} satisfies Record<string, NumberRule>;

type RuleName = keyof typeof RULES;

function numberProblem(rule: NumberRule): string {
  const low = rule.exclusiveMin ? `above ${rule.min}` : `at least ${rule.min}`;
  return `must be ${rule.integer ? 'an integer' : 'a finite number'} ${low} and at most ${rule.max}`;
}

function inRange(rule: NumberRule, value: number): boolean {
  return (
    Number.isFinite(value) &&
    (rule.exclusiveMin ? value > rule.min : value >= rule.min) &&
    value <= rule.max &&
    (!rule.integer || Number.isInteger(value))
  );
}

function numberOption(name: RuleName) {
  const rule: NumberRule = RULES[name];
  const problem = numberProblem(rule);
  return z.number({ error: problem }).refine((v) => inRange(rule, v), { error: problem }).optional();
}

/** An options group: a strict object, or false when `allowFalse`. */
function group<T extends z.core.$ZodLooseShape>(shape: T, allowFalse: boolean) {
  const object = z.strictObject(shape, { error: allowFalse ? 'must be an object or false' : 'must be an object' });
  return allowFalse ? z.union([z.literal(false), object], { error: 'must be an object or false' }).optional() : object.optional();
}

const isClock = (c: unknown): c is Clock =>
  typeof c === 'object' &&
  c !== null &&
  typeof (c as Partial<Clock>).now === 'function' &&
  typeof (c as Partial<Clock>).setTimeout === 'function' &&
  typeof (c as Partial<Clock>).clearTimeout === 'function';

/** The resilience options, as a zod shape: createClient's own options extend it. @internal */
export const RESILIENCE_OPTIONS_SHAPE = {
  timeoutMs: numberOption('timeoutMs'),
  attemptTimeoutMs: numberOption('attemptTimeoutMs'),
  retry: group(
    {
      retries: numberOption('retry.retries'),
      minDelayMs: numberOption('retry.minDelayMs'),
      maxDelayMs: numberOption('retry.maxDelayMs'),
      jitter: z.enum(['full', 'none']).optional(),
    },
    true,
  ),
  retryBudget: group(
    {
      capacity: numberOption('retryBudget.capacity'),
      retryCost: numberOption('retryBudget.retryCost'),
      timeoutCost: numberOption('retryBudget.timeoutCost'),
      successRefund: numberOption('retryBudget.successRefund'),
    },
    true,
  ),
  breaker: group(
    {
      failureThreshold: numberOption('breaker.failureThreshold'),
      openMs: numberOption('breaker.openMs'),
      halfOpenProbes: numberOption('breaker.halfOpenProbes'),
    },
    true,
  ),
  hedgeAfterMs: numberOption('hedgeAfterMs'),
  cache: group({ max: numberOption('cache.max'), hitTtlMs: numberOption('cache.hitTtlMs'), noHitTtlMs: numberOption('cache.noHitTtlMs') }, false),
  dedupe: z.boolean().optional(),
  clock: z.custom<Clock>(isClock, { error: 'must have now(), setTimeout(fn, ms) and clearTimeout(handle)' }).optional(),
  random: z.custom<() => number>((v) => typeof v === 'function', { error: 'must be a function' }).optional(),
};

const resilienceOptionsSchema = z.strictObject(RESILIENCE_OPTIONS_SHAPE);

type Group<T> = Partial<T> | false | undefined;

function resolveRetry(input: Group<RetryOptions>, scope: string): ResolvedResilience['retry'] {
  if (input === false) return false;
  const d = RESILIENCE_DEFAULTS.retry;
  const minDelayMs = input?.minDelayMs ?? d.minDelayMs;
  const maxDelayMs = input?.maxDelayMs ?? Math.max(d.maxDelayMs, minDelayMs);
  if (maxDelayMs < minDelayMs) throw optionError(scope, 'retry.maxDelayMs', 'must not be below retry.minDelayMs');
  return Object.freeze({ retries: input?.retries ?? d.retries, minDelayMs, maxDelayMs, jitter: input?.jitter ?? d.jitter });
}

function resolveBudget(input: Group<RetryBudgetOptions>): ResolvedResilience['retryBudget'] {
  if (input === false) return false;
  const d = RESILIENCE_DEFAULTS.retryBudget;
  return Object.freeze({
    capacity: input?.capacity ?? d.capacity,
    retryCost: input?.retryCost ?? d.retryCost,
    timeoutCost: input?.timeoutCost ?? d.timeoutCost,
    successRefund: input?.successRefund ?? d.successRefund,
  });
}

function resolveBreaker(input: Group<BreakerOptions>): ResolvedResilience['breaker'] {
  if (input === false) return false;
  const d = RESILIENCE_DEFAULTS.breaker;
  return Object.freeze({
    failureThreshold: input?.failureThreshold ?? d.failureThreshold,
    openMs: input?.openMs ?? d.openMs,
    halfOpenProbes: input?.halfOpenProbes ?? d.halfOpenProbes,
  });
}

function resolveCache(input: Partial<CacheOptions> | undefined): ResolvedResilience['cache'] {
  const d = RESILIENCE_DEFAULTS.cache;
  return Object.freeze({ max: input?.max ?? d.max, hitTtlMs: input?.hitTtlMs ?? d.hitTtlMs, noHitTtlMs: input?.noHitTtlMs ?? d.noHitTtlMs });
}

/**
 * Checks resilience options and fills in the defaults.
 * @param scope what the refusal names as the caller: createClient passes the rest of its own options here.
 * @throws {ConfigError} naming the option, when one is unknown or out of range.
 */
export function resolveResilienceOptions(input: ResilienceOptions = {}, scope = 'createClient'): ResolvedResilience {
  // Validation only: the values are read from the input itself, so a clock or random given is used as given.
  parseOptions(scope, resilienceOptionsSchema, input);
  const timeoutMs = input.timeoutMs ?? RESILIENCE_DEFAULTS.timeoutMs;
  const attemptTimeoutMs = input.attemptTimeoutMs;
  if (attemptTimeoutMs !== undefined && attemptTimeoutMs > timeoutMs) throw optionError(scope, 'attemptTimeoutMs', 'must not be above timeoutMs');
  return Object.freeze({
    timeoutMs,
    attemptTimeoutMs,
    retry: resolveRetry(input.retry, scope),
    retryBudget: resolveBudget(input.retryBudget),
    breaker: resolveBreaker(input.breaker),
    hedgeAfterMs: input.hedgeAfterMs,
    cache: resolveCache(input.cache),
    dedupe: input.dedupe ?? RESILIENCE_DEFAULTS.dedupe,
    clock: input.clock ?? systemClock,
    random: input.random ?? Math.random,
  });
}

const callTimingSchema = z.object({ timeoutMs: numberOption('timeoutMs'), attemptTimeoutMs: numberOption('attemptTimeoutMs') });

/**
 * Checks per-call `timeoutMs` / `attemptTimeoutMs` and fills them from the client's resolved options.
 * @throws {ConfigError} naming the option.
 */
export function resolveCallOptions(
  input: CallResilienceOptions | undefined,
  resolved: ResolvedResilience,
  scope = 'call',
): { timeoutMs: number; attemptTimeoutMs: number } {
  // Most calls give neither: no schema runs on that path.
  if (input !== undefined && (input.timeoutMs !== undefined || input.attemptTimeoutMs !== undefined)) parseOptions(scope, callTimingSchema, input);
  const timeoutMs = input?.timeoutMs ?? resolved.timeoutMs;
  const attempt = input?.attemptTimeoutMs ?? resolved.attemptTimeoutMs;
  return { timeoutMs, attemptTimeoutMs: Math.min(attempt ?? timeoutMs / 2, timeoutMs) };
}

/** What a client made by `withOptions` may set of the resilience options: the rest is its parent's, shared. */
export type DerivedResilienceOptions = Pick<ResilienceOptions, 'timeoutMs' | 'attemptTimeoutMs' | 'retry'>;

const derivedSchema = z.object({ timeoutMs: RESILIENCE_OPTIONS_SHAPE.timeoutMs, attemptTimeoutMs: RESILIENCE_OPTIONS_SHAPE.attemptTimeoutMs, retry: RESILIENCE_OPTIONS_SHAPE.retry });

/**
 * The resilience of a client made by `withOptions` over its parent's: its own timeouts and retry policy (a retry
 * object laid over the parent's policy, `false` for one attempt per call); the breaker, the budget, the hedging, the
 * cache, the clock are the parent's.
 * @throws {ConfigError} naming the option.
 * @internal
 */
export function deriveResilience(parent: ResolvedResilience, input: DerivedResilienceOptions, scope: string): ResolvedResilience {
  if (input.timeoutMs === undefined && input.attemptTimeoutMs === undefined && input.retry === undefined) return parent;
  parseOptions(scope, derivedSchema, input);
  const timeoutMs = input.timeoutMs ?? parent.timeoutMs;
  let attemptTimeoutMs = input.attemptTimeoutMs ?? parent.attemptTimeoutMs;
  if (input.attemptTimeoutMs !== undefined && input.attemptTimeoutMs > timeoutMs) throw optionError(scope, 'attemptTimeoutMs', 'must not be above timeoutMs');
  // The parent's attempt timeout is kept only while it fits the new deadline (a call's attempt never outlasts it).
  if (attemptTimeoutMs !== undefined && attemptTimeoutMs > timeoutMs) attemptTimeoutMs = undefined;
  let retry = parent.retry;
  if (input.retry === false) retry = false;
  else if (input.retry !== undefined) {
    const base = parent.retry === false ? RESILIENCE_DEFAULTS.retry : parent.retry;
    const minDelayMs = input.retry.minDelayMs ?? base.minDelayMs;
    const maxDelayMs = input.retry.maxDelayMs ?? Math.max(base.maxDelayMs, minDelayMs);
    if (maxDelayMs < minDelayMs) throw optionError(scope, 'retry.maxDelayMs', 'must not be below retry.minDelayMs');
    retry = Object.freeze({ retries: input.retry.retries ?? base.retries, minDelayMs, maxDelayMs, jitter: input.retry.jitter ?? base.jitter });
  }
  return Object.freeze({ ...parent, timeoutMs, attemptTimeoutMs, retry });
}
