// Headers an integrator adds to a call (a trace id, a case reference): one table of every request header the SDK owns,
// and the one rule a header given from outside must keep. The values are the integrator's, never the SDK's to show:
// a refusal names the header (a name the integrator chose, of the syntax of a header name), never its value, and no
// log line, event or audit event carries either (rule 2).
import { optionError } from '../internal/options';
import { HEADER_NAME, TRANSPORT_HEADERS } from '../transport/headers';
import { CONTEXT_HEADERS, HEADERS } from './wire';

/** The headers protocol v1 has the client set on its requests, each with what to give instead. */
const PROTOCOL_HEADERS: Readonly<Record<string, string>> = {
  [HEADERS.authorization]: 'is set by the transport (its `token`)',
  [HEADERS.requestId]: 'is set by the client (one id per call, the same on every retry)',
  [HEADERS.idempotencyKey]: 'is set by the client (give the `idempotencyKey` option instead)',
  [HEADERS.userAgent]: 'is set by the client',
  [HEADERS.contentType]: 'is set by the client',
  [CONTEXT_HEADERS.authorityId]: 'is set by the client from the context (give `context.authorityId` instead)',
  [CONTEXT_HEADERS.operatorId]: 'is set by the client from the context (give `context.operatorId` instead)',
  [CONTEXT_HEADERS.purpose]: 'is set by the client from the context (give `context.purpose` instead)',
  [CONTEXT_HEADERS.locationId]: 'is set by the client from the context (give `context.locationId` instead)',
};

/** Every request header the SDK owns, lower case, with the reason a call may not give it. @internal */
const OWNED: Readonly<Record<string, string>> = Object.freeze({ ...TRANSPORT_HEADERS, ...PROTOCOL_HEADERS });

/**
 * The request headers the SDK owns, lower case: those protocol v1 has the client send (`authorization`,
 * `x-request-id`, `idempotency-key`, `user-agent`, `content-type`, and the context's `x-authority-id`, `x-operator-id`,
 * `x-purpose`, `x-location-id`) and those the HTTP transport manages (`host`, `content-length`, `transfer-encoding`,
 * the hop-by-hop headers, …). A call's `headers` may not give any of them, in any case of letters: the call is refused
 * with a `ConfigError` naming the header.
 * @example
 * ```ts
 * OWNED_HEADERS.includes('x-request-id'); // true: the client sets it, one per call
 * ```
 */
export const OWNED_HEADERS: readonly string[] = Object.freeze(Object.keys(OWNED));

/** The most headers one object may give. More is a mistake (a whole record handed over as headers). */
export const MAX_CALL_HEADERS = 32;
/** The longest value of one header given from outside, in characters. @unit characters */
export const MAX_HEADER_VALUE_LENGTH = 4096;
/** The longest header name a refusal repeats: a longer one is described, not repeated. */
const MAX_SHOWN_NAME = 64;

/**
 * A header value as a call may give it: visible ASCII and spaces, not starting or ending with a space. No CR or LF
 * (which would start another header), no other control character, nothing outside ASCII (which HTTP/1.1 does not
 * carry the same way through every proxy).
 */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Headers as checked: lower-case names, string values, frozen. @internal */
export type CheckedHeaders = Readonly<Record<string, string>>;

function shownName(name: string): string {
  return name.length <= MAX_SHOWN_NAME ? name : '(a header name too long to repeat)';
}

/**
 * Checks headers given from outside (`path` is the option, e.g. `headers`) and gives them with lower-case names.
 * Refused, with a ConfigError naming the header (never its value): a name that is not a header name (then not
 * repeated), a header the SDK owns, one given twice in two cases of letters, a value that is not a string of visible
 * ASCII and spaces of at most {@link MAX_HEADER_VALUE_LENGTH} characters, more than {@link MAX_CALL_HEADERS} headers.
 * @internal
 */
export function checkHeaders(scope: string, path: string, given: unknown): CheckedHeaders {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw optionError(scope, path, 'must be an object of header names and string values');
  const proto = Object.getPrototypeOf(given) as unknown;
  if (proto !== Object.prototype && proto !== null) throw optionError(scope, path, 'must be a plain object of header names and string values');
  // No prototype: a header named `__proto__` is a header like any other, never a prototype to set.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const name of Object.keys(given)) {
    if (++count > MAX_CALL_HEADERS) throw optionError(scope, path, `may hold at most ${MAX_CALL_HEADERS} headers`);
    // A key that is no header name may be anything the caller had at hand: it is not repeated.
    if (!HEADER_NAME.test(name)) throw optionError(scope, path, 'holds a name that is not a valid header name');
    const lower = name.toLowerCase();
    const where = `${path}.${shownName(lower)}`;
    const owned = OWNED[lower];
    if (owned !== undefined) throw optionError(scope, where, `${owned}: a call may not give it`);
    if (Object.hasOwn(out, lower)) throw optionError(scope, where, 'is given twice (header names are the same in any case of letters)');
    const value: unknown = (given as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value.length > MAX_HEADER_VALUE_LENGTH || !HEADER_VALUE.test(value)) {
      throw optionError(
        scope,
        where,
        `must be a string of 1 to ${MAX_HEADER_VALUE_LENGTH} visible ASCII characters and spaces, not starting or ending with a space (no CR, LF or other control character)`,
      );
    }
    out[lower] = value;
  }
  return Object.freeze(out);
}

/** `over` laid over `under`, a header of `over` winning; either may be absent. @internal */
export function mergeHeaders(under: CheckedHeaders | undefined, over: CheckedHeaders | undefined): CheckedHeaders | undefined {
  if (over === undefined || Object.keys(over).length === 0) return under;
  if (under === undefined || Object.keys(under).length === 0) return over;
  return Object.freeze({ ...under, ...over });
}

/**
 * What tells two sets of headers apart, for the requests calls may share (automatic batching, the in-flight table):
 * a request carries one set of headers, so calls with other headers never share it. '' for none. @internal
 */
export function headersKey(headers: CheckedHeaders | undefined): string {
  if (headers === undefined) return '';
  const names = Object.keys(headers);
  if (names.length === 0) return '';
  names.sort();
  let key = '';
  // Neither a name nor a value holds a control character (checkHeaders), so these separators cannot be forged.
  for (const name of names) key += `${name}\u0001${headers[name]!}\u0002`;
  return key;
}
