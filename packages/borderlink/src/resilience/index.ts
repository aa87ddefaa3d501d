/**
 * The resilience layer: deadline ⊃ breaker ⊃ retry with budget ⊃ hedge ⊃ attempt timeout ⊃ transport, plus the
 * answer cache and the de-duplication of identical checks. See docs/resilience.md.
 * @module
 */
export {
  RESILIENCE_DEFAULTS,
  deriveResilience,
  resolveCallOptions,
  resolveResilienceOptions,
  systemClock,
  type BreakerOptions,
  type CacheOptions,
  type CallResilienceOptions,
  type DerivedResilienceOptions,
  type Clock,
  type ResilienceOptions,
  type ResolvedResilience,
  type RetryBudgetOptions,
  type RetryOptions,
} from './options';
export { createExecutor, type ExecutorHooks, type InspectableExecutor } from './executor';
export {
  CHANNELS,
  type BreakerEvent,
  type HedgeEvent,
  type RequestEvent,
  type ResilienceEvent,
  type ResponseEvent,
  type RetryEvent,
} from './events';
export { isRetryable, breakerVerdict } from './classify';
export { createCheckCache, type CacheableResult, type CachedEntry, type CheckCache } from './cache';
export { copyError, createDeduper, mayJoin, type Deduper } from './dedupe';
export type { CallOutcome, CallSpec, Executor } from './types';
