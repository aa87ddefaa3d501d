// Spans and metrics from what a client says about itself: a span per logical call (from the call hook of
// client/observe.ts), a child span per attempt (from the `request`, `response`, `retry` and `hedge` events the client
// gives its listeners and diagnostics channels), metrics from the same two. An attempt belongs to the call whose own
// synchronous part sent it, or else to the call whose answer names its request (a batched or joined check, a batch's
// rows): its span is made, with the times it had, once that is known. Nothing is read from a query, a hit or a
// header; see attributes.ts for what may be said.
import type { Attributes, Context, Counter, Histogram, Meter, Span, Tracer } from '@opentelemetry/api';
import type { CallStart, ClientObservation, ObservedCall } from '../client/observe';
import type { ClientEvent, ClientEventType } from '../client/types';
import {
  ATTR,
  batchVerdictAttribute,
  errorCodeOf,
  errorType,
  isConfirmationState,
  isOutcomeStatus,
  isPriority,
  isServedFrom,
  isSource,
  isVerdict,
  queuedReasonOf,
  requestIdOf,
  serverOf,
  sourceStatusAttribute,
  urlTemplate,
} from './attributes';
import type { Api } from './load';

// The API's enums, as numbers: the types come from the API package, the values need no import of it.
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** Requests no call has claimed yet, kept at most (background work: a re-screen, an outbox replay, a sync). */
const MAX_UNCLAIMED = 1024;

/**
 * The HTTP client duration buckets OpenTelemetry's conventions advise, for call durations too: without advice an SDK
 * buckets by 0, 5, 10, … 10000, bounds made for milliseconds, and every call in seconds falls in the first.
 * @unit seconds
 */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const now = (): number => performance.timeOrigin + performance.now();

/** The instruments of one meter, shared by every client it observes. @internal */
export interface Instruments {
  callDuration: Histogram;
  sourceOutcomes: Counter;
  retries: Counter;
  requestDuration: Histogram;
  /** Breaker state per gateway, read by the observable gauge. */
  breakers: Map<string, { attributes: Attributes; state: string }>;
}

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

/** @internal */
export function createInstruments(meter: Meter): Instruments {
  const breakers = new Map<string, { attributes: Attributes; state: string }>();
  const gauge = meter.createObservableGauge('borderlink.breaker.state', {
    description: 'The circuit breaker of each gateway: 1 for the state it is in, 0 for the others.',
    unit: '{state}',
  });
  gauge.addCallback((result) => {
    for (const { attributes, state } of breakers.values()) {
      for (const s of BREAKER_STATES) result.observe(s === state ? 1 : 0, { ...attributes, [ATTR.breakerState]: s });
    }
  });
  return {
    callDuration: meter.createHistogram('borderlink.call.duration', {
      description: 'How long a logical call took (a check, a batch, a write, a record read, a confirmation request), from the call to its answer.',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    }),
    sourceOutcomes: meter.createCounter('borderlink.source.outcomes', {
      description: "Sources' outcomes in check results (each row of a batch included), by source and status.",
      unit: '{outcome}',
    }),
    retries: meter.createCounter('borderlink.retries', { description: 'Attempts retried, by the error that made the retry.', unit: '{retry}' }),
    requestDuration: meter.createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP client requests: each attempt.',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    }),
    breakers,
  };
}

interface AttemptRecord {
  n: number;
  method: string;
  path: string;
  /** Its `url.template`. */
  template: string;
  start: number;
  end?: number;
  status?: number;
  error?: string;
  hedged: boolean;
  /** Its span was made. */
  done: boolean;
}

interface RequestRecord {
  id: string;
  call: CallState | undefined;
  /** By attempt number, from 1: index n - 1. */
  attempts: AttemptRecord[];
}

/** What one client's telemetry keeps. @internal */
export class Observation implements ClientObservation {
  readonly events: readonly ClientEventType[] = ['request', 'response', 'retry', 'hedge', 'breaker'];
  readonly api: Api;
  readonly tracer: Tracer | undefined;
  readonly instruments: Instruments | undefined;
  readonly server: Attributes;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
  readonly #requests = new Map<string, RequestRecord>();
  readonly #hedges = new Set<string>();
  /** The call whose synchronous part is running: a request sent now is its own. */
  current: CallState | undefined;
  /**
   * Confirmation calls in progress, by their span: a confirmation's looks are sent after awaits (a `wait()` follows for
   * minutes), so a request sent in the tracing context of one's span is its own. Confirmations are never batched, so
   * the context names the one call the request is for. Counted, so checks pay nothing while none runs.
   */
  readonly confirmations = new WeakMap<Span, CallState>();
  confirmationsOpen = 0;

  constructor(api: Api, tracer: Tracer | undefined, instruments: Instruments | undefined, endpoint: string) {
    this.api = api;
    this.tracer = tracer;
    this.instruments = instruments;
    const { address, port } = serverOf(endpoint);
    this.serverAddress = address;
    this.serverPort = port;
    this.server = port === undefined ? { [ATTR.serverAddress]: address } : { [ATTR.serverAddress]: address, [ATTR.serverPort]: port };
    instruments?.breakers.set(endpoint, { attributes: this.server, state: 'closed' });
  }

  call(start: CallStart): ObservedCall {
    return new CallState(this, start);
  }

  event(event: ClientEvent): void {
    switch (event.type) {
      case 'request': {
        let record = this.#requests.get(event.requestId);
        if (record === undefined) {
          record = { id: event.requestId, call: undefined, attempts: [] };
          this.#requests.set(event.requestId, record);
          if (this.#requests.size > MAX_UNCLAIMED) this.#evict();
        }
        const hedged = this.#hedges.size > 0 && this.#hedges.delete(`${event.requestId} ${event.attempt}`);
        record.attempts[event.attempt - 1] = { n: event.attempt, method: event.method, path: event.path, template: urlTemplate(event.path), start: now(), hedged, done: false };
        if (record.call === undefined) {
          const owner = this.current ?? (this.confirmationsOpen > 0 ? this.#activeConfirmation() : undefined);
          if (owner !== undefined) owner.claim(record);
        }
        return;
      }
      case 'response': {
        const record = this.#requests.get(event.requestId);
        const attempt = record?.attempts[event.attempt - 1];
        if (record === undefined || attempt === undefined || attempt.end !== undefined) return;
        attempt.end = now();
        attempt.status = event.status;
        if (event.status >= 400) attempt.error = String(event.status);
        this.#ended(record, attempt, event.durationMs / 1000);
        return;
      }
      case 'retry': {
        this.instruments?.retries.add(1, { ...this.server, [ATTR.errorType]: errorCodeOf(event.errorCode) });
        const record = this.#requests.get(event.requestId);
        const attempt = record?.attempts[event.attempt - 1];
        if (record === undefined || attempt === undefined || attempt.end !== undefined) return;
        attempt.end = now();
        attempt.error = errorCodeOf(event.errorCode);
        this.#ended(record, attempt);
        return;
      }
      case 'hedge':
        this.#hedges.add(`${event.requestId} ${event.attempt}`);
        if (this.#hedges.size > MAX_UNCLAIMED) this.#hedges.clear();
        return;
      case 'breaker': {
        const breaker = this.instruments?.breakers.get(event.endpoint);
        if (breaker !== undefined) breaker.state = event.state;
        return;
      }
      default:
        return;
    }
  }

  /** The request `requestId`, for `call` to claim when its answer names it. */
  request(requestId: string): RequestRecord | undefined {
    return this.#requests.get(requestId);
  }

  forget(record: RequestRecord): void {
    this.#requests.delete(record.id);
  }

  /** An attempt ended: its duration measured, and its span made when its call is known. */
  #ended(record: RequestRecord, attempt: AttemptRecord, seconds?: number): void {
    this.measured(attempt, seconds);
    if (record.call !== undefined) record.call.attemptSpan(attempt);
  }

  /** The HTTP client duration of an ended attempt. */
  measured(attempt: AttemptRecord, seconds?: number): void {
    this.instruments?.requestDuration.record(seconds ?? (attempt.end! - attempt.start) / 1000, this.attemptAttributes(attempt));
  }

  /** An attempt's attributes, as its span and its duration carry them. */
  attemptAttributes(attempt: AttemptRecord): Attributes {
    // Literal keys: this runs twice per attempt (its span, its duration).
    const attributes: Attributes = { 'server.address': this.serverAddress, 'http.request.method': attempt.method, 'url.template': attempt.template };
    if (this.serverPort !== undefined) attributes['server.port'] = this.serverPort;
    if (attempt.status !== undefined) attributes['http.response.status_code'] = attempt.status;
    if (attempt.error !== undefined) attributes['error.type'] = attempt.error;
    return attributes;
  }

  /** The confirmation call whose span the active tracing context holds (with a context manager registered), if any. */
  #activeConfirmation(): CallState | undefined {
    const span = this.api.trace.getSpan(this.api.context.active());
    return span === undefined ? undefined : this.confirmations.get(span);
  }

  #evict(): void {
    for (const [id, record] of this.#requests) {
      if (record.call === undefined) {
        this.#requests.delete(id);
        return;
      }
    }
  }
}

/** One logical call: its span, the requests it claimed, and what it answered. */
class CallState implements ObservedCall {
  readonly #o: Observation;
  readonly #start: CallStart;
  readonly #startedAt = now();
  readonly #span: Span | undefined;
  readonly #context: Context | undefined;
  /** The requests it claimed: usually one. */
  #requests: RequestRecord[] = [];
  #answer: unknown;
  #rows = 0;
  #rowErrors = 0;
  /** A batch's rows by verdict. */
  #rowVerdicts: Map<string, number> | undefined;
  #ended = false;

  constructor(o: Observation, start: CallStart) {
    this.#o = o;
    this.#start = start;
    const tracer = o.tracer;
    if (tracer !== undefined) {
      const parent = o.api.context.active();
      const span = tracer.startSpan(
        `borderlink.${start.kind}`,
        { kind: SPAN_KIND_INTERNAL, startTime: this.#startedAt, attributes: { 'borderlink.call.kind': start.kind, 'borderlink.call.method': start.method } },
        parent,
      );
      // A span sampled out records nothing: its call makes no attempt spans and no attributes either (metrics stay).
      if (span.isRecording()) {
        this.#span = span;
        this.#context = o.api.trace.setSpan(parent, span);
        if (start.kind === 'confirmation') {
          o.confirmations.set(span, this);
          o.confirmationsOpen++;
        }
      } else {
        span.end();
      }
    }
  }

  run<T>(work: () => T): T {
    const o = this.#o;
    const outer = o.current;
    o.current = this;
    try {
      return this.#context === undefined ? work() : o.api.context.with(this.#context, work);
    } finally {
      o.current = outer;
    }
  }

  claim(record: RequestRecord): void {
    if (record.call !== undefined || this.#ended) return;
    record.call = this;
    this.#requests.push(record);
    for (const attempt of record.attempts) if (attempt !== undefined && attempt.end !== undefined) this.attemptSpan(attempt);
  }

  /** Claims the request an answer names; gives it when it is this call's. */
  #claimById(requestId: unknown): RequestRecord | undefined {
    const id = requestIdOf(requestId);
    const record = id === undefined ? undefined : this.#o.request(id);
    if (record !== undefined) this.claim(record);
    return record?.call === this ? record : undefined;
  }

  answer(answer: unknown): void {
    if (this.#start.kind !== 'batch') {
      this.#answer = answer;
      return;
    }
    const row = answer as { result?: unknown; error?: unknown } | null;
    if (typeof row !== 'object' || row === null) return;
    this.#rows++;
    // A row comes out once its request has its answer (or has failed): that request's attempts are all known now.
    if (row.error !== undefined) {
      this.#rowErrors++;
      const record = this.#claimById((row.error as { requestId?: unknown } | null)?.requestId);
      if (record !== undefined) this.#settle(record, row.error);
      return;
    }
    const result = row.result as { verdict?: unknown; requestId?: unknown } | undefined;
    if (isVerdict(result?.verdict)) {
      const verdicts = (this.#rowVerdicts ??= new Map());
      verdicts.set(result.verdict, (verdicts.get(result.verdict) ?? 0) + 1);
    }
    this.#countOutcomes(result);
    const record = this.#claimById(result?.requestId);
    if (record !== undefined) this.#settle(record, undefined);
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    const endedAt = now();
    const attributes: Attributes = {};
    let outcome: string;
    if (error !== undefined) {
      outcome = errorType(error);
      attributes[ATTR.errorType] = outcome;
      this.#claimById((error as { requestId?: unknown } | null)?.requestId);
    } else if (this.#start.kind === 'batch') {
      outcome = 'OK';
      attributes[ATTR.batchRows] = this.#rows;
      attributes[ATTR.batchErrors] = this.#rowErrors;
      for (const [verdict, count] of this.#rowVerdicts ?? []) attributes[batchVerdictAttribute(verdict)] = count;
    } else {
      outcome = this.#describe(this.#answer, attributes);
    }
    this.#settleRequests(error);
    this.#ended = true;
    const span = this.#span;
    if (span !== undefined && this.#o.confirmations.delete(span)) this.#o.confirmationsOpen--;
    if (span !== undefined) {
      span.setAttributes(attributes);
      if (error !== undefined) span.setStatus({ code: STATUS_ERROR, message: outcome });
      span.end(endedAt);
    }
    this.#o.instruments?.callDuration.record((endedAt - this.#startedAt) / 1000, {
      'borderlink.call.kind': this.#start.kind,
      'borderlink.call.method': this.#start.method,
      'borderlink.outcome': outcome,
    });
  }

  /**
   * A single call's answer as attributes, each from a closed table or a number: a check's verdict and sources, a
   * write's status, a record's source, a confirmation's state, priority and request number. Gives its outcome.
   */
  #describe(answer: unknown, attributes: Attributes): string {
    const a = answer as {
      verdict?: unknown;
      status?: unknown;
      servedFrom?: unknown;
      attempts?: unknown;
      requestId?: unknown;
      warnings?: unknown;
      replayed?: unknown;
      reason?: unknown;
      record?: { source?: unknown } | null;
      state?: unknown;
      priority?: unknown;
      attempt?: unknown;
    } | null;
    // A confirmation handle's refresh() and wait() answer with the state alone.
    if (this.#start.kind === 'confirmation' && isConfirmationState(answer)) {
      attributes[ATTR.confirmationState] = answer;
      return answer;
    }
    if (typeof a !== 'object' || a === null) return 'OK';
    const requestId = requestIdOf(a.requestId);
    if (requestId !== undefined) attributes[ATTR.requestId] = requestId;
    if (typeof a.attempts === 'number') attributes[ATTR.attempts] = a.attempts;
    this.#claimById(a.requestId);
    const warnings = Array.isArray(a.warnings) ? a.warnings.length : undefined;
    switch (this.#start.kind) {
      case 'check':
        if (!isVerdict(a.verdict)) return 'OK';
        attributes[ATTR.verdict] = a.verdict;
        if (isServedFrom(a.servedFrom)) attributes[ATTR.servedFrom] = a.servedFrom;
        if (warnings !== undefined) attributes[ATTR.warnings] = warnings;
        for (const [source, status] of this.#countOutcomes(a)) attributes[sourceStatusAttribute(source)] = status;
        return a.verdict;
      case 'report':
        if (a.status !== 'STORED' && a.status !== 'QUEUED') return 'OK';
        attributes[ATTR.writeStatus] = a.status;
        if (typeof a.replayed === 'boolean') attributes[ATTR.writeReplayed] = a.replayed;
        if (a.status === 'QUEUED') attributes[ATTR.queuedReason] = queuedReasonOf(a.reason);
        return a.status;
      case 'record':
        if (isSource(a.record?.source)) attributes[ATTR.recordSource] = a.record.source;
        if (warnings !== undefined) attributes[ATTR.warnings] = warnings;
        return 'OK';
      case 'confirmation':
        if (isPriority(a.priority)) attributes[ATTR.confirmationPriority] = a.priority;
        if (Number.isSafeInteger(a.attempt)) attributes[ATTR.confirmationAttempt] = a.attempt as number;
        if (warnings !== undefined) attributes[ATTR.warnings] = warnings;
        if (!isConfirmationState(a.state)) return 'OK';
        attributes[ATTR.confirmationState] = a.state;
        return a.state;
      default:
        return 'OK';
    }
  }

  /** Counts a check result's outcomes by source and status; gives them. */
  #countOutcomes(result: unknown): [string, string][] {
    const outcomes = (result as { outcomes?: unknown } | undefined)?.outcomes;
    if (!Array.isArray(outcomes)) return [];
    const seen: [string, string][] = [];
    for (const outcome of outcomes as { source?: unknown; status?: unknown }[]) {
      if (!isSource(outcome?.source) || !isOutcomeStatus(outcome.status)) continue;
      seen.push([outcome.source, outcome.status]);
      this.#o.instruments?.sourceOutcomes.add(1, { 'borderlink.source': outcome.source, 'borderlink.source.status': outcome.status });
    }
    return seen;
  }

  /** The claimed requests are over. */
  #settleRequests(error: unknown): void {
    for (const record of this.#requests.slice()) this.#settle(record, error);
  }

  /** A request is over: attempts still open end now (with the error it ended with, or abandoned), and it goes. */
  #settle(record: RequestRecord, error: unknown): void {
    for (const attempt of record.attempts) {
      if (attempt === undefined) continue;
      if (attempt.end === undefined) {
        attempt.end = now();
        // The last attempt failed with the request's error; in a request that was answered, an attempt still open was
        // abandoned (a hedged attempt that lost).
        attempt.error = error !== undefined ? errorType(error) : 'ABANDONED';
        this.#o.measured(attempt);
      }
      this.attemptSpan(attempt);
    }
    const i = this.#requests.indexOf(record);
    if (i !== -1) this.#requests.splice(i, 1);
    this.#o.forget(record);
  }

  /** The span of an ended attempt, a child of this call's, with the attempt's own times. */
  attemptSpan(attempt: AttemptRecord): void {
    const { tracer } = this.#o;
    if (attempt.done || attempt.end === undefined || tracer === undefined || this.#context === undefined) return;
    attempt.done = true;
    const attributes = this.#o.attemptAttributes(attempt);
    if (attempt.n > 1) attributes[ATTR.resendCount] = attempt.n - 1;
    if (attempt.hedged) attributes[ATTR.hedged] = true;
    const span = tracer.startSpan(`${attempt.method} ${attempt.template}`, { kind: SPAN_KIND_CLIENT, startTime: attempt.start, attributes }, this.#context);
    if (attempt.error !== undefined && attempt.error !== 'ABANDONED') span.setStatus({ code: STATUS_ERROR, message: attempt.error });
    span.end(attempt.end);
  }
}
