// Hand-written fakes for the resilience tests: a clock driven by hand and a transport that plays a script.
import { ConnectionError, TimeoutError } from 'borderlink';
import { resolveResilienceOptions, type Clock, type ResilienceOptions } from '../../src/resilience/index';
import type { CallSpec } from '../../src/resilience/types';
import type { Transport, TransportRequest, TransportResponse } from 'borderlink';
import { addAbortListener, removeAbortListener } from '../../src/internal/abort';
import { decodeAnswer } from '../../src/protocol/decode';

/** Lets every pending promise callback run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock that only moves when told to. Timers run in order of due time. */
export class ManualClock implements Clock {
  t = 1_700_000_000_000;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  /** Moves time forward by `ms`, running each timer due on the way (and the promise callbacks it causes). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (due === undefined || entry[1].at < due[1].at)) due = entry;
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
    await flush();
  }
}

/** One scripted answer. `after` delays it on the transport's clock; `hang` never answers (until timeoutMs or abort). */
export type Step =
  | { status: number; headers?: Record<string, string>; body?: string; after?: number }
  | { reject: unknown; after?: number }
  | { hang: true };

export interface ScriptedTransport extends Transport {
  readonly requests: TransportRequest[];
  /** Attempts whose signal was aborted while they were pending. */
  aborted: number;
}

export const ok = (body = '{"ok":true}'): Step => ({ status: 200, body });

/**
 * A transport that answers from `script` in order (the last step repeats), honouring `timeoutMs` (rejects with
 * TimeoutError scope 'attempt') and `signal` like a real one. `honourTimeout: false` makes one that ignores it.
 */
export function scriptedTransport(
  script: Step[] | ((request: TransportRequest, n: number) => Step),
  clock: Clock,
  options: { honourTimeout?: boolean; endpoint?: string } = {},
): ScriptedTransport {
  const requests: TransportRequest[] = [];
  const t: ScriptedTransport = {
    endpoint: options.endpoint ?? 'https://gateway.test',
    requests,
    aborted: 0,
    send(request) {
      requests.push(request);
      const n = requests.length;
      const step = typeof script === 'function' ? script(request, n) : (script[Math.min(n - 1, script.length - 1)] as Step);
      return new Promise<TransportResponse>((resolve, reject) => {
        const timers: unknown[] = [];
        const done = (): void => {
          for (const h of timers) clock.clearTimeout(h);
          if (request.signal !== undefined) removeAbortListener(request.signal, onAbort);
        };
        const onAbort = (): void => {
          t.aborted++;
          done();
          reject(request.signal?.reason);
        };
        if (request.signal?.aborted) return onAbort();
        // Like the SDK's own transport: one listener per signal however many attempts share it.
        if (request.signal !== undefined) addAbortListener(request.signal, onAbort);
        if (options.honourTimeout !== false) {
          timers.push(
            clock.setTimeout(() => {
              done();
              reject(new TimeoutError('attempt timed out', { scope: 'attempt' }));
            }, request.timeoutMs),
          );
        }
        if ('hang' in step) return;
        const answer = (): void => {
          done();
          if ('reject' in step) reject(step.reject);
          else resolve({ status: step.status, headers: step.headers ?? {}, body: step.body ?? '' });
        };
        if (step.after === undefined) queueMicrotask(answer);
        else timers.push(clock.setTimeout(answer, step.after));
      });
    },
    close: () => Promise.resolve(),
  };
  return t;
}

export const connectionReset = (): Step => ({ reject: new ConnectionError('reset') });

let seq = 0;
/**
 * A call spec whose decoder reads a 2xx body with `parse` (JSON by default) and any other status as the client does,
 * with the protocol's error for it.
 */
export function spec(
  overrides: Partial<CallSpec<unknown>> & { parse?: (response: TransportResponse) => unknown } = {},
): CallSpec<unknown> {
  const { parse = (response: TransportResponse) => JSON.parse(response.body) as unknown, ...rest } = overrides;
  const requestId = `req-${++seq}`;
  return {
    kind: 'read',
    request: {
      method: 'POST',
      path: '/v1/checks',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: '{}',
    },
    requestId,
    decode: decodeAnswer(rest.kind ?? 'read', rest.requestId ?? requestId, parse),
    timeoutMs: 3000,
    ...rest,
  };
}

/** Options for a test: injected clock, no jitter (random = 1 gives the full back-off), and whatever else given. */
export function options(clock: Clock, extra: ResilienceOptions = {}) {
  return resolveResilienceOptions({ clock, random: () => 0.999999, ...extra });
}
