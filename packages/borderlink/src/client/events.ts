// The client's event listeners. A listener's failure must not fail a border check; every event is also a debug line.
import type { LevelledLogger } from '../logging/logger';
import { checkListener } from './check-options';
import type { ClientEvent, ClientEventType } from './types';

const EVENT_TYPES: ReadonlySet<string> = new Set<ClientEventType>(['request', 'response', 'retry', 'hedge', 'breaker', 'queued', 'delivered', 'rejected', 'lateHit', 'sync', 'syncProgress', 'syncFailed']);

/**
 * Fields an event's debug line leaves out: the gateway's record ids are its text (untrusted: it may hold a searched
 * value or escape codes), there for the listener to act on, never for the log; and who made a check is the audit
 * trail's. A late hit's line says how many records instead.
 */
const NOT_LOGGED: Readonly<Partial<Record<ClientEventType, readonly string[]>>> = {
  delivered: ['recordId'],
  lateHit: ['records', 'operatorId', 'authorityId', 'locationId'],
};

function loggedFields(event: ClientEvent): Record<string, unknown> {
  // A request's path is its template already (the executor's `route`, client.ts), for listeners and this line alike.
  const omit = NOT_LOGGED[event.type];
  if (omit === undefined) return event as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) if (!omit.includes(name)) fields[name] = value;
  if (event.type === 'lateHit') fields.recordCount = event.records.length;
  return fields;
}

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
    if (log.enabled('debug')) log.log('debug', event.type, loggedFields(event));
  }
}
