// One gateway implementation of protocol v1, shared by the in-process mock transport and the socket mock gateway:
// the request recorded, the faults of the plan applied around it, and the request routed to the check answerer or
// the write store.
import { randomUUID } from 'node:crypto';
import { ConfigError } from 'borderlink';
import { HEADERS, optionName } from '../protocol/index';
import { createCheckAnswerer } from './check-answers';
import { demoDataset, type Dataset } from './dataset';
import { FaultSchedule, faultDelayMs, faultSpoil, faultStop, type FaultPlan } from './faults';
import { DatasetIndex } from './matching';
import type { GatewayRequest, GatewayResponse } from './responses';
import { NOT_JSON, createRouter, pathOf, readBody } from './routing';
import { createWriteStore, type StoredReport } from './write-store';
import { fail } from './responses';

export type { GatewayRequest, GatewayResponse } from './responses';
export type { StoredReport } from './write-store';

/** A request the gateway received, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** Epoch milliseconds. */
  receivedAt: number;
}

/** Options of {@link createGatewayHandler}. Unknown options are refused. */
export interface GatewayOptions {
  /** The records checks answer from. @default demoDataset */
  dataset?: Dataset;
  /** When set, every request needs `authorization: Bearer <token>`, else 401 UNAUTHENTICATED. @default no check */
  token?: string;
  /** Faults to inject; see {@link FaultPlan}. @default none */
  faults?: FaultPlan;
  /** Added to every request before it is processed. @unit milliseconds @default 0 */
  latencyMs?: number;
  /**
   * The state an authority reports for (a report on another state's document is 403 NOT_ISSUER).
   * @default the part of `authorityId` before the first `-`: `UTO-POLICE` → `UTO`, `D-BKA` → `D`
   */
  issuerOf?: (authorityId: string) => string;
  /** Requests kept in `requests`; older ones are dropped. @default 10000 */
  maxRecordedRequests?: number;
}

/**
 * A protocol v1 gateway as a function from request to answer, with what it recorded.
 * @example
 * ```ts
 * const handle = createGatewayHandler({ token: 'secret' });
 * const res = await handle({ method: 'POST', path: '/v1/checks', headers: { authorization: 'Bearer secret' }, body: '{…}' });
 * ```
 */
export interface GatewayHandler {
  (request: GatewayRequest): Promise<GatewayResponse>;
  /** Requests received, oldest first (faulted ones included). */
  readonly requests: RecordedRequest[];
  /** Document reports stored, oldest first. */
  readonly reports: StoredReport[];
  /** The dataset checks answer from (stored reports are not added to it). */
  readonly dataset: Dataset;
  /** Replaces the fault plan; its sequence and random draws start afresh. Call with nothing to stop faults. */
  setFaults(plan?: FaultPlan): void;
}

const GATEWAY_OPTIONS = ['dataset', 'token', 'faults', 'latencyMs', 'issuerOf', 'maxRecordedRequests'];

/** Refuses options nobody knows: a typo must not silently turn a feature off. @internal */
export function refuseUnknownOptions(options: object, known: readonly string[], what: string): void {
  if (typeof options !== 'object' || options === null) throw new ConfigError(`${what}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ConfigError(`${what}: ${optionName(key)} is not a known option`);
  }
}

const defaultIssuerOf = (authorityId: string): string => authorityId.split('-')[0] ?? authorityId;

/** Waits `ms`; false when the signal fired first. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Creates a gateway handler. Throws a ConfigError for an unknown option or a bad fault plan. */
export function createGatewayHandler(options: GatewayOptions = {}): GatewayHandler {
  refuseUnknownOptions(options, GATEWAY_OPTIONS, 'createGatewayHandler');
  const dataset = options.dataset ?? demoDataset;
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new ConfigError('createGatewayHandler: latencyMs must be a finite number of milliseconds');
  const maxRecorded = options.maxRecordedRequests ?? 10_000;
  let schedule = new FaultSchedule(options.faults);
  const index = new DatasetIndex(dataset);
  const writes = createWriteStore(index, options.issuerOf ?? defaultIssuerOf);
  const route = createRouter({ token: options.token, checks: createCheckAnswerer(dataset, index), report: writes.report, withdrawal: writes.withdrawal });
  const requests: RecordedRequest[] = [];

  const handle = async (req: GatewayRequest): Promise<GatewayResponse> => {
    const path = pathOf(req.path);
    const fault = schedule.next(path);
    const body = readBody(req.body);
    if (maxRecorded > 0) {
      if (requests.length >= maxRecorded) requests.shift();
      requests.push({
        method: req.method,
        path: req.path,
        headers: { ...req.headers },
        body: body === NOT_JSON ? req.body : body,
        receivedAt: Date.now(),
      });
    }
    const requestId = req.headers[HEADERS.requestId] || randomUUID();
    const pause = latencyMs + faultDelayMs(fault);
    if (pause > 0 && !(await wait(pause, req.signal))) {
      return { status: 499, headers: {}, body: '', disconnect: 'before-answer' };
    }
    const stopped = faultStop(fault, requestId);
    if (stopped) return stopped;
    let response: GatewayResponse;
    try {
      response = route(req, path, body, requestId, fault);
    } catch {
      return fail(500, requestId, 'INTERNAL', 'The mock gateway failed');
    }
    return faultSpoil(fault, response, path, requestId);
  };

  return Object.assign(handle, {
    requests,
    reports: writes.reports,
    dataset,
    setFaults(plan?: FaultPlan) {
      schedule = new FaultSchedule(plan);
    },
  });
}
