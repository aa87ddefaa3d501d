// The client's event listeners. A listener's failure must not fail a border check; every event is also a debug line.
import type { LevelledLogger } from '../logging/logger';
import { checkListener } from './check-options';
import type { ClientEvent, ClientEventType } from './types';

const EVENT_TYPES: ReadonlySet<string> = new Set<ClientEventType>(['request', 'response', 'retry', 'hedge', 'breaker', 'queued', 'delivered', 'rejected', 'lateHit', 'sync', 'syncProgress', 'syncFailed']);

/** @internal */
export class Listeners {
  readonly #byType = new Map<string, Set<(event: ClientEvent) => void>>();
  readonly #log: LevelledLogger;

  constructor(log: LevelledLogger) {
    this.#log = log;
  }

  on(type: string, listener: unknown): () => void {
    checkListener(type, listener, EVENT_TYPES);
    let set = this.#byType.get(type);
    if (set === undefined) this.#byType.set(type, (set = new Set()));
    const l = listener as (event: ClientEvent) => void;
    set.add(l);
    return () => set.delete(l);
  }

  emit(event: ClientEvent): void {
    const set = this.#byType.get(event.type);
    if (set !== undefined) {
      for (const l of set) {
        try {
          l(event);
        } catch {
          // A listener's failure must not fail a border check.
        }
      }
    }
    const log = this.#log;
    if (log.enabled('debug')) log.log('debug', event.type, event as unknown as Record<string, unknown>);
  }
}
