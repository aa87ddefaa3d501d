// Scripted and seeded-random faults, so every failure a client must survive can be produced on demand. Each fault's
// behaviour is one row of FAULTS: how a plan's entry is checked, and what it does before, during and after the
// request is processed. The rest of the gateway asks the table, never a fault type.
import { z } from 'zod';
import { ConfigError, SOURCES, type OutcomeStatus, type Source } from 'borderlink';
import { HEADERS, PATHS, parseOptions, spellValues } from '../protocol/index';
import { fail, jsonHeaders, type GatewayResponse, type Json } from './responses';

/** The source statuses an `outcome` fault can give. */
export const OUTCOME_FAULT_STATUSES = Object.freeze(['TIMEOUT', 'ERROR', 'NOT_AUTHORISED'] as const);

/**
 * One thing that goes wrong with one request.
 *
 * Faults that stop the request (`status`, `reset`) answer before it is processed: a write is not stored. Faults that
 * spoil the answer (`malformed`, `truncated`, `off-schema`, `lost-response`) act after it was processed: a write IS
 * stored, and only a retry with the same idempotency key tells the client so. `delay` waits, then answers normally
 * (a client that gives up during the wait leaves the request unprocessed). The outcome faults (`unavailable`,
 * `missing-outcome`, `outcome`) change only check answers; on other paths they do nothing.
 */
export type Fault =
  /** No fault for this request: a placeholder in a sequence. */
  | { type: 'none' }
  /**
   * Answer with this HTTP status and a protocol error body, without processing the request.
   * `retryAfter` is sent as the `retry-after` header as given (delta-seconds or an HTTP date), `retryAfterMs` (in
   * milliseconds) as `retry-after-ms`. Example: `{ type: 'status', status: 429, retryAfterMs: 250 }`.
   */
  | { type: 'status'; status: number; retryAfter?: number | string; retryAfterMs?: number }
  /** Destroy the connection before answering (in-process: reject with a ConnectionError). Not processed. */
  | { type: 'reset' }
  /** Wait `ms` milliseconds, then answer normally. Example: `{ type: 'delay', ms: 2000 }`. */
  | { type: 'delay'; ms: number }
  /** A 200 whose body is not JSON. */
  | { type: 'malformed' }
  /**
   * A 200 whose body is cut off mid-JSON (over HTTP the content-length promises more, then the connection closes). A
   * streamed answer (a snapshot) is sent up to the middle of its last part, which holds its end line, and the
   * connection closes before the answer is complete (in-process: its body throws a ConnectionError).
   */
  | { type: 'truncated' }
  /** A 200 of valid JSON that breaks the response schema; a snapshot gets a first line of no op protocol v1 knows. */
  | { type: 'off-schema' }
  /** A normal answer, but these sources' outcomes are `UNAVAILABLE` and their hits left out (all sources when none are named). */
  | { type: 'unavailable'; sources?: Source[] }
  /** A normal answer, but these sources' outcomes (and hits) are left out (all sources when none are named). */
  | { type: 'missing-outcome'; sources?: Source[] }
  /** A normal answer, but these sources' outcomes have this status and their hits are left out (all sources when none are named). */
  | { type: 'outcome'; status: (typeof OUTCOME_FAULT_STATUSES)[number]; sources?: Source[] }
  /** Process the request fully (a write IS stored), then reset the connection: "stored, but the response was lost". */
  | { type: 'lost-response' };

/** What one type of fault does. Every part is optional: a fault without it does nothing at that step. */
interface FaultRow<F extends Fault> {
  /** The fields a fault of this type takes besides `type`, one rule each; a field not listed is refused. */
  fields?: z.ZodRawShape;
  /** Milliseconds to wait before the request is processed (a client gone meanwhile leaves it unprocessed). */
  delayMs?(fault: F): number;
  /** Answers instead of processing the request: a write is not stored. */
  stop?(fault: F, requestId: string): GatewayResponse;
  /** In a check answer, these sources' outcomes get `status` (left out when undefined) and their hits are left out. */
  outcomes?(fault: F): { sources: readonly Source[]; status: OutcomeStatus | undefined };
  /** Spoils the answer of a processed request (a write IS stored). */
  spoil?(fault: F, response: GatewayResponse, path: string, requestId: string): GatewayResponse;
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

const milliseconds = z.number({ error: 'must be a number of milliseconds, 0 or more' }).min(0, { error: 'must be a number of milliseconds, 0 or more' });
const sources = z
  .custom<Source[]>((s) => Array.isArray(s) && s.every((x) => SOURCES.includes(x as Source)), { error: `must name ${spellValues(SOURCES)}` })
  .optional();
/** A spoilt answer keeps a 2xx status, and answers 200 for an error (the body is what is spoilt). */
const spoiltStatus = (response: GatewayResponse) => (response.status >= 200 && response.status < 300 ? response.status : 200);

const FAULTS: { readonly [T in Fault['type']]: FaultRow<Extract<Fault, { type: T }>> } = {
  none: {},
  status: {
    fields: {
      status: z.custom<number>((v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599, { error: 'must be an HTTP status' }),
      // Sent as given, whatever it holds: a test may need a header the client cannot read.
      retryAfter: z.custom<number | string>((v) => typeof v === 'number' || typeof v === 'string', { error: 'must be a number or a string' }).optional(),
      retryAfterMs: milliseconds.optional(),
    },
    stop(fault, requestId) {
      const extra: Record<string, string> = {};
      if (fault.retryAfter !== undefined) extra[HEADERS.retryAfter] = String(fault.retryAfter);
      if (fault.retryAfterMs !== undefined) extra[HEADERS.retryAfterMs] = String(fault.retryAfterMs);
      return fail(fault.status, requestId, STATUS_CODES[fault.status] ?? 'INJECTED_FAULT', 'Injected fault', undefined, extra);
    },
  },
  reset: {
    stop: () => ({ status: 0, headers: {}, body: '', disconnect: 'before-answer' }),
  },
  delay: {
    fields: { ms: milliseconds },
    delayMs: (fault) => fault.ms,
  },
  malformed: {
    spoil: (_fault, response, _path, requestId) => ({
      status: spoiltStatus(response),
      headers: { ...jsonHeaders(requestId), [HEADERS.contentType]: 'text/html; charset=utf-8' },
      body: '<html><body><h1>Service temporarily overloaded</h1></body></html>',
    }),
  },
  truncated: {
    spoil(_fault, response, _path, requestId) {
      if (response.stream !== undefined) {
        return { status: spoiltStatus(response), headers: response.headers, body: '', stream: cutInLastPart(response.stream), disconnect: 'mid-body' };
      }
      const full = response.body;
      return {
        status: spoiltStatus(response),
        headers: jsonHeaders(requestId),
        body: full.slice(0, Math.max(1, Math.floor(full.length / 2))),
        disconnect: 'mid-body',
        declaredLength: Buffer.byteLength(full),
      };
    },
  },
  'off-schema': {
    spoil(_fault, response, path, requestId) {
      if (response.stream !== undefined) {
        return { status: spoiltStatus(response), headers: response.headers, body: '', stream: afterLine('{"op":"unexpected"}\n', response.stream) };
      }
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
      return { status: spoiltStatus(response), headers: jsonHeaders(requestId), body: JSON.stringify(body) };
    },
  },
  unavailable: {
    fields: { sources },
    outcomes: (fault) => ({ sources: fault.sources ?? SOURCES, status: 'UNAVAILABLE' }),
  },
  'missing-outcome': {
    fields: { sources },
    outcomes: (fault) => ({ sources: fault.sources ?? SOURCES, status: undefined }),
  },
  outcome: {
    fields: { status: z.enum(OUTCOME_FAULT_STATUSES, { error: `must be ${spellValues(OUTCOME_FAULT_STATUSES)}` }), sources },
    outcomes: (fault) => ({ sources: fault.sources ?? SOURCES, status: fault.status }),
  },
  'lost-response': {
    spoil: (_fault, response) => ({ ...response, disconnect: 'before-answer' }),
  },
};

/** A streamed body up to the middle of its last part: the end of the answer never arrives. */
async function* cutInLastPart(parts: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  let held: string | undefined;
  for await (const part of parts) {
    if (held !== undefined) yield held;
    held = part;
  }
  if (held !== undefined) yield held.slice(0, Math.max(1, Math.floor(held.length / 2)));
}

/** `line`, then a streamed body. */
async function* afterLine(line: string, parts: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  yield line;
  yield* parts;
}

const rowOf = <F extends Fault>(fault: F): FaultRow<F> => FAULTS[fault.type] as FaultRow<F>;

/** Every fault type. */
export const FAULT_TYPES: readonly Fault['type'][] = Object.freeze(Object.keys(FAULTS) as Fault['type'][]);

type FaultObject = z.ZodObject<{ type: z.ZodLiteral<Fault['type']> }>;

/** One fault, by its row's fields: the one rule a plan given as options and a `--fault` spec are both held to. */
const faultSchema = z.discriminatedUnion(
  'type',
  FAULT_TYPES.map((type) => z.strictObject({ type: z.literal(type), ...FAULTS[type].fields })) as unknown as [FaultObject, ...FaultObject[]],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be ${spellValues(FAULT_TYPES)}` : 'must be a fault (an object with a type)') },
) as unknown as z.ZodType<Fault>;

const faultList = z.array(faultSchema, { error: 'must be an array of faults' });

const randomSchema = z.strictObject(
  {
    rate: z.number({ error: 'must be a number from 0 to 1' }).min(0, { error: 'must be a number from 0 to 1' }).max(1, { error: 'must be a number from 0 to 1' }),
    faults: faultList.min(1, { error: 'must be a non-empty array of faults' }).optional(),
    seed: z.custom<number>((v) => Number.isInteger(v), { error: 'must be an integer' }).optional(),
  },
  { error: 'must be an object' },
);

/** A fault plan given as an option (see {@link FaultPlan}). @internal */
export const FAULT_PLAN_SCHEMA = z.union(
  [
    faultList,
    z.strictObject({
      sequence: faultList.optional(),
      random: randomSchema.optional(),
      paths: z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of strings' }).optional(),
    }),
  ],
  { error: 'must be an array of faults or an object' },
) as unknown as z.ZodType<FaultPlan>;

/** How long a fault holds the request before it is processed. @internal */
export const faultDelayMs = (fault: Fault | undefined): number => (fault ? (rowOf(fault).delayMs?.(fault) ?? 0) : 0);

/** The answer a fault gives instead of processing the request, if it stops it. @internal */
export const faultStop = (fault: Fault | undefined, requestId: string): GatewayResponse | undefined =>
  fault ? rowOf(fault).stop?.(fault, requestId) : undefined;

/** Which sources' outcomes a fault changes in a check answer, and to what (undefined: left out). @internal */
export const faultOutcomes = (fault: Fault | undefined): { sources: readonly Source[]; status: OutcomeStatus | undefined } | undefined =>
  fault ? rowOf(fault).outcomes?.(fault) : undefined;

/** The processed answer as a fault spoils it. @internal */
export const faultSpoil = (fault: Fault | undefined, response: GatewayResponse, path: string, requestId: string): GatewayResponse =>
  fault ? (rowOf(fault).spoil?.(fault, response, path, requestId) ?? response) : response;

/**
 * Which requests go wrong, and how.
 * - An array: applied to consecutive requests in order, then no more faults.
 * - An object: `sequence` first, then each request draws from `random` (seeded: the same seed gives the same faults
 *   for the same request order). With `paths`, only requests to those paths take part; a path ending in `*` is a prefix.
 * @example
 * ```ts
 * [{ type: 'status', status: 503, retryAfter: 1 }, { type: 'reset' }]
 * { random: { rate: 0.3, seed: 42 }, paths: ['/v1/checks'] }
 * ```
 */
export type FaultPlan =
  | Fault[]
  | {
      sequence?: Fault[];
      random?: {
        /** Share of requests that get a fault, 0 to 1. */
        rate: number;
        /** Drawn from with equal weight. @default RANDOM_FAULT_MIX */
        faults?: Fault[];
        /** @default 1 */
        seed?: number;
      };
      paths?: string[];
    };

/**
 * The mix `random:<rate>` draws from, with equal weight: transient gateway errors (503 with retry-after-ms 100, 500,
 * 429 with retry-after-ms 200), a reset, a lost response, a 1500 ms delay, a truncated and a malformed body, an
 * unavailable source and a source timeout.
 */
export const RANDOM_FAULT_MIX: readonly Fault[] = Object.freeze(
  (
    [
  { type: 'status', status: 503, retryAfterMs: 100 },
  { type: 'status', status: 500 },
  { type: 'status', status: 429, retryAfterMs: 200 },
  { type: 'reset' },
  { type: 'lost-response' },
  { type: 'delay', ms: 1500 },
  { type: 'truncated' },
  { type: 'malformed' },
  { type: 'unavailable' },
  { type: 'outcome', status: 'TIMEOUT' },
    ] satisfies Fault[]
  ).map((fault) => Object.freeze(fault)),
);

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks the fault for each request of a plan, checked beforehand against {@link FAULT_PLAN_SCHEMA}. One per gateway;
 * `setFaults` replaces it, starting the sequence and the random draws afresh. @internal
 */
export class FaultSchedule {
  private readonly sequence: Fault[];
  private position = 0;
  private readonly rate: number;
  private readonly pool: readonly Fault[];
  private readonly random: () => number;
  private readonly exact: Set<string> | undefined;
  private readonly prefixes: string[];

  constructor(plan: FaultPlan = []) {
    const p = Array.isArray(plan) ? { sequence: plan } : plan;
    this.sequence = [...(p.sequence ?? [])];
    const r = p.random;
    this.rate = r?.rate ?? 0;
    this.pool = [...(r?.faults ?? RANDOM_FAULT_MIX)];
    this.random = seededRandom(r?.seed ?? 1);
    if (p.paths !== undefined) {
      this.exact = new Set(p.paths.filter((x) => !x.endsWith('*')));
      this.prefixes = p.paths.filter((x) => x.endsWith('*')).map((x) => x.slice(0, -1));
    } else {
      this.exact = undefined;
      this.prefixes = [];
    }
  }

  /** The fault for the next request to `path`, if any. */
  next(path: string): Fault | undefined {
    if (this.exact && !this.exact.has(path) && !this.prefixes.some((x) => path.startsWith(x))) return undefined;
    if (this.position < this.sequence.length) return this.sequence[this.position++];
    if (this.rate === 0) return undefined;
    // Two draws per request whatever the outcome, so one request's fault does not shift the next one's.
    const hit = this.random() < this.rate;
    const pick = this.pool[Math.floor(this.random() * this.pool.length)];
    return hit ? pick : undefined;
  }
}

const SIMPLE: Record<string, Fault> = {
  ok: { type: 'none' },
  none: { type: 'none' },
  reset: { type: 'reset' },
  'lost-response': { type: 'lost-response' },
  malformed: { type: 'malformed' },
  truncated: { type: 'truncated' },
  'off-schema': { type: 'off-schema' },
};
/** `timeout`, `error`, `not-authorised`: the spec's names of the outcome statuses. */
const OUTCOME: Readonly<Record<string, (typeof OUTCOME_FAULT_STATUSES)[number]>> = Object.fromEntries(
  OUTCOME_FAULT_STATUSES.map((status) => [status.toLowerCase().replace(/_/g, '-'), status]),
);

/**
 * Reads a fault plan from a command-line string: faults separated by commas, applied to consecutive requests.
 *
 * ```text
 * spec     = item *("," item)
 * item     = fault | "random:" rate [":seed=" integer] | "paths:" path *("+" path)
 * fault    = status *(":retry-after=" seconds | ":retry-after-ms=" ms)     e.g. 503  429:retry-after=1
 *          | "ok" | "reset" | "lost-response" | "malformed" | "truncated" | "off-schema"
 *          | "delay:" ms                                                    e.g. delay:2000
 *          | ("unavailable" | "missing-outcome") [":" sources]             e.g. unavailable:TDAWN
 *          | ("timeout" | "error" | "not-authorised") [":" sources]        a source answers TIMEOUT, ERROR, NOT_AUTHORISED
 * sources  = source *("+" source)                                          e.g. SLTD+TDAWN
 * ```
 * `random:0.3` gives 30 % of requests (after the listed faults) a fault from {@link RANDOM_FAULT_MIX}.
 * @throws {ConfigError} naming the item that could not be read.
 * @example
 * ```ts
 * parseFaultSpec('503,reset,delay:2000,429:retry-after=1,unavailable:TDAWN');
 * parseFaultSpec('random:0.3:seed=7,paths:/v1/checks');
 * ```
 */
export function parseFaultSpec(spec: string): FaultPlan {
  if (typeof spec !== 'string') throw new ConfigError('Invalid fault spec: must be a string');
  const sequence: Fault[] = [];
  let random: { rate: number; seed?: number } | undefined;
  let paths: string[] | undefined;
  const items = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  items.forEach((item, index) => {
    const where = `Invalid fault spec: item ${index + 1} (${item})`;
    const bad = (why: string) => new ConfigError(`${where} ${why}`);
    // What an item says is held to the plan's rules, so a spec and a plan given as options accept the same faults.
    const sound = <T>(schema: z.ZodType, value: T): T => {
      parseOptions(where, schema, value);
      return value;
    };
    const [head = '', ...args] = item.split(':');
    const name = head.toLowerCase();
    if (name === 'paths') {
      paths = args.join(':').split('+').filter((x) => x !== '');
      if (paths.length === 0) throw bad('must name at least one path');
      return;
    }
    if (name === 'random') {
      if (args[0] === undefined) throw bad('needs a rate from 0 to 1, e.g. random:0.3');
      const drawn: { rate: number; seed?: number } = { rate: Number(args[0]) };
      for (const arg of args.slice(1)) {
        const m = /^seed=(-?\d+)$/.exec(arg);
        if (!m) throw bad('takes only seed=<integer>');
        drawn.seed = Number(m[1]);
      }
      random = sound(randomSchema, drawn);
      return;
    }
    const simple = Object.hasOwn(SIMPLE, name) ? SIMPLE[name] : undefined;
    if (simple) {
      if (args.length > 0) throw bad('takes no arguments');
      sequence.push({ ...simple });
      return;
    }
    if (/^\d{3}$/.test(name)) {
      const fault: Fault & { type: 'status' } = { type: 'status', status: Number(name) };
      for (const arg of args) {
        const m = /^(retry-after|retry-after-ms)=(\d+)$/.exec(arg);
        if (!m) throw bad('takes only retry-after=<seconds> or retry-after-ms=<milliseconds>');
        if (m[1] === 'retry-after') fault.retryAfter = Number(m[2]);
        else fault.retryAfterMs = Number(m[2]);
      }
      sequence.push(sound(faultSchema, fault));
      return;
    }
    if (name === 'delay') {
      if (args.length !== 1 || !/^\d+$/.test(args[0] ?? '')) throw bad('needs milliseconds, e.g. delay:2000');
      sequence.push(sound(faultSchema, { type: 'delay', ms: Number(args[0]) }));
      return;
    }
    const outcome = Object.hasOwn(OUTCOME, name) ? OUTCOME[name] : undefined;
    if (outcome || name === 'unavailable' || name === 'missing-outcome') {
      if (args.length > 1) throw bad('takes one list of sources, e.g. SLTD+TDAWN');
      const src = args[0] !== undefined ? { sources: args[0].split('+').map((s) => s.trim().toUpperCase()) as Source[] } : {};
      const fault: Fault = outcome ? { type: 'outcome', status: outcome, ...src } : { type: name as 'unavailable' | 'missing-outcome', ...src };
      sequence.push(sound(faultSchema, fault));
      return;
    }
    throw bad('is not a known fault');
  });
  if (random === undefined && paths === undefined) return sequence;
  return { sequence, ...(random ? { random } : {}), ...(paths ? { paths } : {}) };
}
