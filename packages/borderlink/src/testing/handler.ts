// One gateway implementation of protocol v1, shared by the in-process mock transport and the socket mock gateway.
import { randomUUID } from 'node:crypto';
import { ConfigError, type FieldIssue } from '../errors/index';
import { optionName } from '../internal/option-name';
import { HEADERS, MAX_ITEMS_PER_REQUEST, PATHS, type DocumentReportRequestBody } from '../protocol/wire';
import { SOURCES, type Hit, type OutcomeStatus, type Source, type SourceOutcome, type Subject } from '../queries/types';
import { defaultSources } from '../queries/validate';
import { demoDataset, type Dataset } from './dataset';
import { FaultSchedule, type Fault, type FaultPlan } from './faults';
import { DatasetIndex, normaliseDocumentNumber, type Found } from './matching';
import { WITHDRAWAL_REASONS, canonicalJson, checkContext, checkItem, checkReport, isObject, type Json } from './request-checks';

/** One request as the gateway sees it. Header names are lower-case. */
export interface GatewayRequest {
  method: string;
  /** Path, optionally with a query string, e.g. `/v1/checks`. */
  path: string;
  headers: Record<string, string | undefined>;
  /** The body as text; empty when there is none. */
  body: string;
  /** Fires when the client went away: a pending delay stops and the request is not processed. */
  signal?: AbortSignal;
}

/** The gateway's answer. `disconnect` tells the socket layer how to break the connection for a fault. */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * `before-answer`: destroy the connection instead of answering (`reset`, `lost-response`). `mid-body`: send the
   * headers with `content-length: declaredLength`, then `body` (shorter), then destroy (`truncated`).
   */
  disconnect?: 'before-answer' | 'mid-body';
  /** Bytes the `content-length` header promises when `disconnect` is `mid-body`. */
  declaredLength?: number;
}

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

/** A document report the gateway stored, for "stored exactly once" assertions. */
export interface StoredReport {
  recordId: string;
  /** ISO 8601. */
  createdAt: string;
  authorityId: string;
  idempotencyKey: string;
  report: DocumentReportRequestBody['report'];
  /** ISO 8601, once withdrawn. */
  withdrawnAt?: string;
  withdrawalReason?: string;
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

/** The error code each injected status answers with. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  409: 'IDEMPOTENCY_KEY_REUSED',
  413: 'TOO_MANY_ITEMS',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  502: 'UPSTREAM_UNAVAILABLE',
  503: 'UPSTREAM_UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;
const WITHDRAWAL_PATH = /^\/v1\/reports\/documents\/([^/]+)\/withdrawal$/;
const NOT_JSON = Symbol('not JSON');
const JSON_TYPE = 'application/json';

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
  const token = options.token;
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new ConfigError('createGatewayHandler: latencyMs must be a finite number of milliseconds');
  const issuerOf = options.issuerOf ?? defaultIssuerOf;
  const maxRecorded = options.maxRecordedRequests ?? 10_000;
  let schedule = new FaultSchedule(options.faults);
  const index = new DatasetIndex(dataset);

  const startedAt = new Date().toISOString();
  const asOf = {} as Record<Source, string>;
  for (const s of SOURCES) {
    asOf[s] = typeof dataset.dataAsOf === 'string' ? dataset.dataAsOf : (dataset.dataAsOf?.[s] ?? startedAt);
  }

  const requests: RecordedRequest[] = [];
  const reports: StoredReport[] = [];
  const reportsById = new Map<string, StoredReport>();
  const idempotency = new Map<string, { fingerprint: string; body: string }>();
  let hitCounter = 0;
  let reportCounter = 0;

  const respond = (status: number, requestId: string, body: unknown, extra?: Record<string, string>): GatewayResponse => ({
    status,
    headers: { [HEADERS.contentType]: JSON_TYPE, [HEADERS.requestId]: requestId, ...extra },
    body: JSON.stringify(body),
  });
  const fail = (status: number, requestId: string, code: string, message: string, details?: FieldIssue[], extra?: Record<string, string>) =>
    respond(status, requestId, { error: { code, message, ...(details && details.length > 0 ? { details: details.slice(0, 100) } : {}) } }, extra);
  const invalid = (requestId: string, details: FieldIssue[]) =>
    fail(400, requestId, 'INVALID_REQUEST', 'The request is invalid; see details for the fields', details);

  function toHit(f: Found): Hit {
    const e = f.entry;
    const base = {
      hitId: `HIT-${(++hitCounter).toString(36).toUpperCase().padStart(6, '0')}`,
      source: f.source,
      recordId: e.recordId,
      ownerCountry: e.ownerCountry,
      match: f.match,
      ...(e.actionToBeTaken !== undefined ? { actionToBeTaken: e.actionToBeTaken } : {}),
      confirmation: { state: 'UNCONFIRMED' as const },
    };
    switch (f.kind) {
      case 'document':
        return { ...base, kind: 'document', document: f.entry.document };
      case 'linked-document':
        return { ...base, kind: 'linked-document', document: f.entry.document, notice: f.entry.notice };
      case 'person':
        return { ...base, kind: 'person', person: f.entry.person, notice: f.entry.notice };
      case 'vehicle':
        return { ...base, kind: 'vehicle', vehicle: f.entry.vehicle };
    }
  }

  function checkOne(item: Json, fault: Fault | undefined) {
    const subjects = item.subjects as Subject[];
    const sources = (item.sources as Source[] | undefined) ?? defaultSources(subjects);
    const found: Found[] = [];
    const want = (s: Source) => sources.includes(s);
    // A source that was given nothing it can search answers ERROR, never NO_HIT.
    const searched = new Set<Source>();
    for (const subject of subjects) {
      if (subject.kind === 'document') {
        if (want('SLTD')) {
          index.findDocuments(subject, found);
          searched.add('SLTD');
        }
        if (want('TDAWN')) {
          index.findLinkedDocuments(subject, found);
          searched.add('TDAWN');
        }
        if (want('NOMINAL') && subject.holder && index.findPersons(subject.holder, found)) searched.add('NOMINAL');
      } else if (subject.kind === 'person') {
        if (want('NOMINAL') && index.findPersons(subject, found)) searched.add('NOMINAL');
      } else if (want('SMV')) {
        index.findVehicles(subject, found);
        searched.add('SMV');
      }
    }
    // The same record reached twice (two subjects, or a VIN and a plate) is one hit: keep the better match.
    const best = new Map<string, Found>();
    for (const f of found) {
      const key = `${f.source}|${f.entry.recordId}`;
      const prior = best.get(key);
      if (!prior || f.match.score > prior.match.score) best.set(key, f);
    }
    const spoiled =
      fault?.type === 'unavailable' || fault?.type === 'missing-outcome' || fault?.type === 'outcome'
        ? new Set<Source>(fault.sources ?? SOURCES)
        : undefined;
    const outcomes: SourceOutcome[] = [];
    for (const source of SOURCES) {
      if (!want(source)) continue;
      if (spoiled?.has(source)) {
        if (fault?.type === 'unavailable') outcomes.push({ source, status: 'UNAVAILABLE' });
        else if (fault?.type === 'outcome') outcomes.push({ source, status: fault.status });
        continue;
      }
      if (!searched.has(source)) {
        outcomes.push({ source, status: 'ERROR' });
        continue;
      }
      let status: OutcomeStatus = 'NO_HIT';
      for (const f of best.values()) {
        if (f.source !== source) continue;
        if (f.match.method !== 'FUZZY') {
          status = 'HIT';
          break;
        }
        status = 'POSSIBLE_HIT';
      }
      outcomes.push({ source, status, dataAsOf: asOf[source] });
    }
    const hits: Hit[] = [];
    for (const f of best.values()) if (!spoiled?.has(f.source)) hits.push(toHit(f));
    if (hits.length > 1) hits.sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source));
    return { itemId: item.itemId as string, outcomes, hits };
  }

  function checks(body: unknown, requestId: string, fault: Fault | undefined): GatewayResponse {
    if (!isObject(body)) return invalid(requestId, [{ path: '(root)', message: 'must be a JSON object' }]);
    const items = body.items;
    if (Array.isArray(items) && items.length > MAX_ITEMS_PER_REQUEST) {
      return fail(413, requestId, 'TOO_MANY_ITEMS', `A request may hold at most ${MAX_ITEMS_PER_REQUEST} items`, [
        { path: 'items', message: `must hold at most ${MAX_ITEMS_PER_REQUEST} items` },
      ]);
    }
    const issues: FieldIssue[] = [];
    checkContext(body.context, issues);
    if (!Array.isArray(items) || items.length === 0) {
      issues.push({ path: 'items', message: items === undefined ? 'is required' : 'must be an array of at least one item' });
    } else {
      const ids = new Set<string>();
      for (let i = 0; i < items.length; i++) checkItem(items[i], i, ids, issues);
    }
    if (issues.length > 0) return invalid(requestId, issues);
    return respond(200, requestId, { requestId, items: (items as Json[]).map((item) => checkOne(item, fault)) });
  }

  /** Shared by reports and withdrawals: the idempotency key, and a replay or conflict when it was seen. */
  function idempotent(
    headers: GatewayRequest['headers'],
    path: string,
    body: unknown,
    requestId: string,
    issues: FieldIssue[],
    run: (key: string) => { status: number; body: unknown } | GatewayResponse,
  ): GatewayResponse {
    const key = headers[HEADERS.idempotencyKey];
    if (key === undefined || key === '') issues.unshift({ path: `headers.${HEADERS.idempotencyKey}`, message: 'is required for a write' });
    else if (!IDEMPOTENCY_KEY.test(key)) {
      issues.unshift({ path: `headers.${HEADERS.idempotencyKey}`, message: 'must be 8 to 128 printable ASCII characters without spaces' });
    }
    if (issues.length > 0) return invalid(requestId, issues);
    const fingerprint = `${path}\n${canonicalJson(body)}`;
    // Keys are scoped to the credentials, so two clients' keys never collide.
    const scoped = `${headers[HEADERS.authorization] ?? ''}\n${key}`;
    const prior = idempotency.get(scoped);
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        return fail(409, requestId, 'IDEMPOTENCY_KEY_REUSED', 'The idempotency key was already used with another request');
      }
      return {
        status: 200,
        headers: { [HEADERS.contentType]: JSON_TYPE, [HEADERS.requestId]: requestId, [HEADERS.idempotentReplayed]: 'true' },
        body: prior.body,
      };
    }
    const result = run(key!);
    if ('headers' in result) return result;
    const response = respond(result.status, requestId, result.body);
    idempotency.set(scoped, { fingerprint, body: response.body });
    return response;
  }

  function report(req: GatewayRequest, path: string, body: unknown, requestId: string): GatewayResponse {
    const issues: FieldIssue[] = [];
    if (!isObject(body)) issues.push({ path: '(root)', message: 'must be a JSON object' });
    else {
      checkContext(body.context, issues);
      checkReport(body.report, issues);
    }
    return idempotent(req.headers, path, body, requestId, issues, (key) => {
      const b = body as { context: { authorityId: string }; report: DocumentReportRequestBody['report'] };
      const state = b.report.issuingState.trim().toUpperCase();
      if (issuerOf(b.context.authorityId).toUpperCase() !== state) {
        return fail(403, requestId, 'NOT_ISSUER', 'Only the issuing state may report this document');
      }
      const recordId = `SLTD-${state}-R${String(++reportCounter).padStart(6, '0')}`;
      const createdAt = new Date().toISOString();
      const r = b.report;
      index.addDocument({
        recordId,
        documentNumber: normaliseDocumentNumber(r.documentNumber),
        issuingState: state,
        documentType: r.documentType,
        status: r.status,
        ...(r.incidentDate !== undefined ? { incidentDate: r.incidentDate } : {}),
        ...(r.incidentCountry !== undefined ? { incidentCountry: r.incidentCountry.trim().toUpperCase() } : {}),
      });
      const stored: StoredReport = { recordId, createdAt, authorityId: b.context.authorityId, idempotencyKey: key, report: r };
      reports.push(stored);
      reportsById.set(recordId, stored);
      return { status: 201, body: { recordId, createdAt } };
    });
  }

  function withdrawal(req: GatewayRequest, path: string, recordId: string, body: unknown, requestId: string): GatewayResponse {
    const issues: FieldIssue[] = [];
    if (!isObject(body)) issues.push({ path: '(root)', message: 'must be a JSON object' });
    else {
      checkContext(body.context, issues);
      if (typeof body.reason !== 'string' || !WITHDRAWAL_REASONS.includes(body.reason)) {
        issues.push({ path: 'reason', message: body.reason === undefined ? 'is required' : `must be ${WITHDRAWAL_REASONS.join(', ')}` });
      }
    }
    return idempotent(req.headers, path, body, requestId, issues, () => {
      const b = body as { context: { authorityId: string }; reason: string };
      const entry = index.documentById(recordId);
      if (!entry) return fail(404, requestId, 'NOT_FOUND', 'No such record');
      if (issuerOf(b.context.authorityId).toUpperCase() !== entry.ownerCountry) {
        return fail(403, requestId, 'NOT_ISSUER', 'Only the issuing state may withdraw this record');
      }
      const stored = reportsById.get(recordId);
      if (entry.withdrawnAt === undefined) {
        entry.withdrawnAt = new Date().toISOString();
        if (stored) {
          stored.withdrawnAt = entry.withdrawnAt;
          stored.withdrawalReason = b.reason;
        }
      }
      return { status: 200, body: { recordId, withdrawnAt: entry.withdrawnAt, reason: stored?.withdrawalReason ?? b.reason } };
    });
  }

  function route(req: GatewayRequest, path: string, body: unknown, requestId: string, fault: Fault | undefined): GatewayResponse {
    if (token !== undefined && req.headers[HEADERS.authorization] !== `Bearer ${token}`) {
      return fail(401, requestId, 'UNAUTHENTICATED', 'A valid bearer token is required');
    }
    const known = path === PATHS.checks || path === PATHS.documentReports || WITHDRAWAL_PATH.test(path);
    if (!known) return fail(404, requestId, 'NOT_FOUND', 'No such path in protocol v1');
    if (req.method !== 'POST') return fail(405, requestId, 'METHOD_NOT_ALLOWED', 'Only POST is allowed on this path', undefined, { allow: 'POST' });
    if (body === NOT_JSON || body === undefined) return invalid(requestId, [{ path: '(root)', message: 'must be a JSON object' }]);
    if (path === PATHS.checks) return checks(body, requestId, fault);
    if (path === PATHS.documentReports) return report(req, path, body, requestId);
    const m = WITHDRAWAL_PATH.exec(path)!;
    let recordId: string;
    try {
      recordId = decodeURIComponent(m[1]!);
    } catch {
      return fail(404, requestId, 'NOT_FOUND', 'No such record');
    }
    return withdrawal(req, path, recordId, body, requestId);
  }

  const handle = async (req: GatewayRequest): Promise<GatewayResponse> => {
    const q = req.path.indexOf('?');
    const path = q === -1 ? req.path : req.path.slice(0, q);
    const fault = schedule.next(path);
    let body: unknown;
    if (req.body !== '') {
      try {
        body = JSON.parse(req.body);
      } catch {
        body = NOT_JSON;
      }
    }
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
    const pause = latencyMs + (fault?.type === 'delay' ? fault.ms : 0);
    if (pause > 0 && !(await wait(pause, req.signal))) {
      return { status: 499, headers: {}, body: '', disconnect: 'before-answer' };
    }
    if (fault?.type === 'reset') return { status: 0, headers: {}, body: '', disconnect: 'before-answer' };
    if (fault?.type === 'status') {
      const extra: Record<string, string> = {};
      if (fault.retryAfter !== undefined) extra[HEADERS.retryAfter] = String(fault.retryAfter);
      if (fault.retryAfterMs !== undefined) extra[HEADERS.retryAfterMs] = String(fault.retryAfterMs);
      return fail(fault.status, requestId, STATUS_CODES[fault.status] ?? 'INJECTED_FAULT', 'Injected fault', undefined, extra);
    }
    let response: GatewayResponse;
    try {
      response = route(req, path, body, requestId, fault);
    } catch {
      return fail(500, requestId, 'INTERNAL', 'The mock gateway failed');
    }
    return fault ? spoil(response, fault, path, requestId) : response;
  };

  return Object.assign(handle, {
    requests,
    reports,
    dataset,
    setFaults(plan?: FaultPlan) {
      schedule = new FaultSchedule(plan);
    },
  });
}

/** Applies the faults that act on a processed answer. */
function spoil(response: GatewayResponse, fault: Fault, path: string, requestId: string): GatewayResponse {
  const status = response.status >= 200 && response.status < 300 ? response.status : 200;
  const headers = { [HEADERS.contentType]: JSON_TYPE, [HEADERS.requestId]: requestId };
  switch (fault.type) {
    case 'lost-response':
      return { ...response, disconnect: 'before-answer' };
    case 'malformed':
      return {
        status,
        headers: { ...headers, [HEADERS.contentType]: 'text/html; charset=utf-8' },
        body: '<html><body><h1>Service temporarily overloaded</h1></body></html>',
      };
    case 'truncated': {
      const full = response.body;
      return {
        status,
        headers,
        body: full.slice(0, Math.max(1, Math.floor(full.length / 2))),
        disconnect: 'mid-body',
        declaredLength: Buffer.byteLength(full),
      };
    }
    case 'off-schema': {
      let body: Json = { unexpected: true };
      if (response.status >= 200 && response.status < 300) {
        body = JSON.parse(response.body) as Json;
        if (path === PATHS.checks) {
          // Deep, not top-level: the client must validate every field, not only the envelope.
          const first = (body.items as { outcomes: { status: string }[] }[])[0]?.outcomes[0];
          if (first) first.status = 'MAYBE';
          else body.items = null;
        } else {
          body.recordId = 12345;
        }
      }
      return { status, headers, body: JSON.stringify(body) };
    }
    default:
      return response;
  }
}
