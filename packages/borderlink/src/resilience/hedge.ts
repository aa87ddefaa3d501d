// Hedged reads: when an attempt has had no answer for `hedgeAfterMs`, a second one races it. The first complete
// answer wins and the other is aborted. Only here does the hot path create AbortControllers, and only for reads with
// hedging turned on: aborting the loser needs one per attempt.
import { isRetryable } from './classify';
import type { Answer, Attempt, Call, Layer } from './call';
import type { RetryBudget } from './budget';
import type { Emitter } from './events';
import type { Clock } from './options';
import { addAbortListener, removeAbortListener } from '../internal/abort';

export interface HedgeDeps {
  clock: Clock;
  budget: RetryBudget;
  emitter: Emitter;
}

export function hedge(hedgeAfterMs: number | undefined, deps: HedgeDeps): Layer {
  if (hedgeAfterMs === undefined) return (next) => next;
  const { clock, budget, emitter } = deps;
  return (next) =>
    <T>(call: Call<T>, attempt: Attempt): Promise<Answer<T>> => {
      // Writes are never hedged: one write in flight at a time, even with an idempotency key.
      if (call.spec.kind !== 'read' || call.deadlineAt - clock.now() <= hedgeAfterMs) return next(call, attempt);
      return new Promise<Answer<T>>((resolve, reject) => {
        const outer = attempt.signal;
        const controllers: AbortController[] = [];
        let running = 0;
        let settled = false;
        let timer: unknown;

        const settle = (winner: AbortController | undefined): void => {
          settled = true;
          if (timer !== undefined) clock.clearTimeout(timer);
          timer = undefined;
          if (outer !== undefined) removeAbortListener(outer, onOuterAbort);
          for (const c of controllers) if (c !== winner) c.abort();
        };
        const onOuterAbort = (): void => {
          for (const c of controllers) c.abort(outer?.reason);
        };
        const launch = (): void => {
          const controller = new AbortController();
          controllers.push(controller);
          running++;
          next(call, { signal: controller.signal }).then(
            (answer) => {
              if (settled) return;
              settle(controller);
              resolve(answer);
            },
            (error: unknown) => {
              running--;
              if (settled) return;
              // A definitive answer (a 4xx, an abort) ends the race; a retryable failure waits for the other attempt.
              if (running === 0 || !isRetryable(error)) {
                settle(undefined);
                reject(error);
              }
            },
          );
        };

        if (outer !== undefined) addAbortListener(outer, onOuterAbort);
        timer = clock.setTimeout(() => {
          timer = undefined;
          if (settled || !budget.tryAcquire(budget.retryCost)) return;
          call.lastBudgetCost = budget.retryCost;
          if (emitter.wants('hedge')) {
            emitter.emit({ type: 'hedge', requestId: call.spec.requestId, attempt: call.attempts + 1, afterMs: hedgeAfterMs });
          }
          launch();
        }, hedgeAfterMs);
        launch();
      });
    };
}
