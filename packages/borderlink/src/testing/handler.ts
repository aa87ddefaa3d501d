// One gateway implementation of protocol v1, shared by the in-process mock transport and the socket mock gateway:
// the request recorded, the faults of the plan applied around it, and the request routed to the check answerer or
// the write store.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, SOURCES, type Source } from 'borderlink';
import { HEADERS, parseOptions, spellValues } from '../protocol/index';
import { createCheckAnswerer } from './check-answers';
import { DATASET_OPTION, demoDataset, parseDatasetRecord, type Dataset, type DatasetRecord } from './dataset';
import { FAULT_PLAN_SCHEMA, FaultSchedule, faultDelayMs, faultSpoil, faultStop, type FaultPlan } from './faults';
import { DatasetIndex } from './matching';
import type { GatewayRequest, GatewayResponse } from './responses';
import { NOT_JSON, createRouter, pathOf, readBody } from './routing';
import { createSnapshotAnswerer } from './snapshots';
import { createWriteStore, type StoredReport } from './write-store';
import { fail } from './responses';
import { createConfirmationDesk } from './confirmations';
import { createRecordAnswerer } from './records';
import { SECOND_LINE_OPTION, resolveSecondLine, type SecondLineOptions } from './second-line';

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
  dataset?: Dataset | undefined;
  /** When set, every request needs `authorization: Bearer <token>`, else 401 UNAUTHENTICATED. @default no check */
  token?: string | undefined;
  /** Faults to inject; see {@link FaultPlan}. @default none */
  faults?: FaultPlan | undefined;
  /** Added to every request before it is processed. @unit milliseconds @default 0 */
  latencyMs?: number | undefined;
  /**
   * The state an authority reports for (a report on another state's document is 403 NOT_ISSUER).
   * @default the part of `authorityId` before the first `-`: `UTO-POLICE` → `UTO`, `D-BKA` → `D`
   */
  issuerOf?: ((authorityId: string) => string) | undefined;
  /** Requests kept in `requests`, a whole number (0 keeps none); older ones are dropped. @default 10000 */
  maxRecordedRequests?: number | undefined;
  /** Full records and confirmations: who may read, how the owners answer; see {@link SecondLineOptions}. @default the demo's owners */
  secondLine?: SecondLineOptions | undefined;
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
  /** The dataset the gateway started from (reports, withdrawals and the records changed since are not in it). */
  readonly dataset: Dataset;
  /**
   * Replaces the fault plan; its sequence and random draws start afresh. Call with nothing to stop faults.
   * @throws {ConfigError} naming the first field of the plan that is unknown or wrong (e.g. `plan.0.status`).
   */
  setFaults(plan?: FaultPlan): void;
  /**
   * Adds a record to its source, or replaces the source's record with its id: checks find it at once, and the next
   * snapshot delta of its source carries it. A report stored through `POST /v1/reports/documents` is added the same
   * way, and a withdrawal removes its record (from checks, and as a delete in the next delta).
   * @throws {ConfigError} naming the first field that breaks the rules of a dataset file's records, or when another
   * source holds a record with its id.
   * @example
   * ```ts
   * gateway.upsertRecord({ source: 'SMV', recordId: 'SMV-UTO-0099', vin: 'WVWZZZ1JZXW000099', plate: 'XY-999 ZZ',
   *   make: 'SKODA', model: 'OCTAVIA', colour: 'GREY', theftDate: '2026-11-30', registrationCountry: 'UTO' });
   * ```
   */
  upsertRecord(record: DatasetRecord): void;
  /**
   * Removes a record: checks no longer find it, and the next snapshot delta of its source deletes it.
   * @returns false when the source holds no record with this id.
   * @throws {ConfigError} when `source` is not a source.
   * @example
   * ```ts
   * gateway.removeRecord('SLTD', 'SLTD-UTO-0002');
   * ```
   */
  removeRecord(source: Source, recordId: string): boolean;
}

const LATENCY = 'must be a number of milliseconds, 0 or more';

/**
 * The options every gateway factory takes, one rule each. A factory's schema is strict: an unknown option must not
 * silently turn a feature off. @internal
 */
export const SHARED_GATEWAY_OPTIONS = {
  dataset: DATASET_OPTION.optional(),
  token: z.string({ error: 'must be a string' }).optional(),
  faults: FAULT_PLAN_SCHEMA.optional(),
  latencyMs: z.number({ error: LATENCY }).min(0, { error: LATENCY }).optional(),
  secondLine: SECOND_LINE_OPTION.optional(),
};

const RECORDED = 'must be a whole number of requests, 0 or more';

const gatewayOptionsSchema = z.strictObject({
  ...SHARED_GATEWAY_OPTIONS,
  issuerOf: z.custom<(authorityId: string) => string>((v) => typeof v === 'function', { error: 'must be a function' }).optional(),
  maxRecordedRequests: z.custom<number>((v) => Number.isSafeInteger(v) && (v as number) >= 0, { error: RECORDED }).optional(),
} satisfies Record<keyof GatewayOptions, z.ZodType>);

const setFaultsSchema = z.strictObject({ plan: FAULT_PLAN_SCHEMA.optional() });
const removeRecordSchema = z.strictObject({
  source: z.enum(SOURCES, { error: `must be ${spellValues(SOURCES)}` }),
  recordId: z.string({ error: 'must be a string' }),
});

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

/**
 * Creates a gateway handler.
 * @throws {ConfigError} naming the first option that is unknown or wrong, a fault plan's fields included.
 */
export function createGatewayHandler(options: GatewayOptions = {}): GatewayHandler {
  // Checked, not taken from the parse: the handler keeps the caller's dataset and plan, not copies of them.
  parseOptions('createGatewayHandler', gatewayOptionsSchema, options);
  const dataset = options.dataset ?? demoDataset;
  const latencyMs = options.latencyMs ?? 0;
  const maxRecorded = options.maxRecordedRequests ?? 10_000;
  let schedule = new FaultSchedule(options.faults);
  const index = new DatasetIndex(dataset);
  const writes = createWriteStore(index, options.issuerOf ?? defaultIssuerOf);
  const secondLine = resolveSecondLine(options.secondLine);
  const confirmations = createConfirmationDesk(index, secondLine.desk, writes.idempotent);
  const route = createRouter({
    token: options.token,
    checks: createCheckAnswerer(index),
    report: writes.report,
    withdrawal: writes.withdrawal,
    snapshot: createSnapshotAnswerer(index),
    record: createRecordAnswerer(index, secondLine.recordPurposes),
    confirmationRequest: confirmations.request,
    confirmationStatus: confirmations.status,
  });
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
      parseOptions('setFaults', setFaultsSchema, { plan });
      schedule = new FaultSchedule(plan);
    },
    upsertRecord(record: DatasetRecord) {
      const parsed = parseDatasetRecord(record);
      const holder = index.sourceOf(parsed.recordId);
      if (holder !== undefined && holder !== parsed.source) throw new ConfigError('Invalid record: recordId is used by a record of another source');
      index.upsert(parsed);
    },
    removeRecord(source: Source, recordId: string) {
      parseOptions('removeRecord', removeRecordSchema, { source, recordId });
      return index.remove(source, recordId);
    },
  });
}
