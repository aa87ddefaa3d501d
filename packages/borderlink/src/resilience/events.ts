// What the layer reports: to the client's hook and on node:diagnostics_channel. Events carry ids, numbers and codes
// only: never a body or a header, since both can hold searched values or credentials.
import { channel } from 'node:diagnostics_channel';

/** An attempt is about to be sent. `attempt` counts from 1 and includes hedged attempts. */
export interface RequestEvent {
  type: 'request';
  requestId: string;
  attempt: number;
  method: 'GET' | 'POST';
  /**
   * The path's template under protocol v1, its ids named rather than given: `/v1/checks`, `/v1/reports/documents`,
   * `/v1/records/{source}/{recordId}`, `/v1/hits/{hitId}/confirmation-requests`, … (the same the debug log and
   * telemetry's `url.template` say). A record, hit or confirmation id is gateway text: the call's own `requestId` ties
   * the event to its audit event, which holds those ids as audit events hold them. The bare path to a transport that
   * is not a borderlink client's.
   */
  path: string;
}
/** An attempt got an answer (any status). */
export interface ResponseEvent {
  type: 'response';
  requestId: string;
  attempt: number;
  status: number;
  /** From sending the attempt to its answer. @unit milliseconds */
  durationMs: number;
}
/** Attempt `attempt` failed and the call will try again after `delayMs`. */
export interface RetryEvent {
  type: 'retry';
  requestId: string;
  attempt: number;
  delayMs: number;
  /** The failed attempt's error code, e.g. `CONNECTION_FAILED` or `UPSTREAM_UNAVAILABLE`. */
  errorCode: string;
}
/** A read had no answer after `afterMs`, and a hedged attempt (number `attempt`) now races the first. */
export interface HedgeEvent {
  type: 'hedge';
  requestId: string;
  attempt: number;
  afterMs: number;
}
/** The circuit breaker of `endpoint` changed state. `retryAt` (epoch milliseconds) when it opened. */
export interface BreakerEvent {
  type: 'breaker';
  endpoint: string;
  state: 'open' | 'half-open' | 'closed';
  retryAt?: number;
}
/** Everything the resilience layer reports. */
export type ResilienceEvent = RequestEvent | ResponseEvent | RetryEvent | HedgeEvent | BreakerEvent;

/** The diagnostics channel names, `borderlink:<event type>`. */
export const CHANNELS = Object.freeze({
  request: channel('borderlink:request'),
  response: channel('borderlink:response'),
  retry: channel('borderlink:retry'),
  hedge: channel('borderlink:hedge'),
  breaker: channel('borderlink:breaker'),
});

/** Delivers events; `wants(type)` lets the hot path skip building an event nobody will read. @internal */
export interface Emitter {
  wants(type: ResilienceEvent['type']): boolean;
  emit(event: ResilienceEvent): void;
}

export function createEmitter(hook: ((event: ResilienceEvent) => void) | undefined): Emitter {
  return {
    wants: (type) => hook !== undefined || CHANNELS[type].hasSubscribers,
    emit(event) {
      if (hook !== undefined) {
        try {
          hook(event);
        } catch {
          // A listener's failure must not fail a border check.
        }
      }
      const ch = CHANNELS[event.type];
      if (ch.hasSubscribers) ch.publish(event);
    },
  };
}
