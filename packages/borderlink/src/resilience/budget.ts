// The retry budget: a token bucket per client, after the AWS SDK's standard retry mode. Retries and hedges take
// tokens; successes put some back. First attempts never ask it.
import type { ResolvedResilience } from './options';

/** @internal */
export interface RetryBudget {
  /** Takes `cost` tokens if the bucket holds them. */
  tryAcquire(cost: number): boolean;
  /** A call succeeded: refunds what its last retry took, or `successRefund` when it needed none. */
  onSuccess(lastCost: number): void;
  readonly tokens: number;
  readonly retryCost: number;
  readonly timeoutCost: number;
}

export function createRetryBudget(options: Exclude<ResolvedResilience['retryBudget'], false>): RetryBudget {
  let tokens = options.capacity;
  return {
    tryAcquire(cost) {
      if (tokens < cost) return false;
      tokens -= cost;
      return true;
    },
    onSuccess(lastCost) {
      tokens = Math.min(options.capacity, tokens + (lastCost > 0 ? lastCost : options.successRefund));
    },
    get tokens() {
      return tokens;
    },
    retryCost: options.retryCost,
    timeoutCost: options.timeoutCost,
  };
}

/** The budget when there is none: every retry is allowed. */
export const unlimitedBudget: RetryBudget = Object.freeze({
  tryAcquire: () => true,
  onSuccess: () => {},
  tokens: Number.POSITIVE_INFINITY,
  retryCost: 0,
  timeoutCost: 0,
});
