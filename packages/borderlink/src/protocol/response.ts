// A gateway's answer as a result or an error describes it (ResponseInfo): its status, its own id, a closed list of
// its headers. Rule 2: all of it is gateway text, so each value is kept only in a checked shape, never shortened or
// repaired; rule 1: reading it never fails, so an odd header can never turn an answer (a HIT) into an error.
import { RESPONSE_HEADERS, type ResponseHeaderName, type ResponseInfo } from '../errors/index';
import type { TransportResponse } from '../transport/types';
import { GATEWAY_REQUEST_ID, HEADERS } from './wire';

/** The longest header value kept. @unit characters */
const MAX_VALUE_LENGTH = 512;

/**
 * Whether a header value is kept: 1 to MAX_VALUE_LENGTH characters of visible ASCII and spaces, not starting or ending
 * with a space (no control character, nothing outside ASCII). A loop rather than a pattern: it runs on every answer.
 */
function isSafeValue(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const n = value.length;
  if (n === 0 || n > MAX_VALUE_LENGTH || value.charCodeAt(0) === 0x20 || value.charCodeAt(n - 1) === 0x20) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The selected headers of `given` that are kept; a header that cannot be read is left out, as an odd one is. */
function selectedHeaders(given: Record<string, unknown>, careful: boolean): Partial<Record<ResponseHeaderName, string>> {
  const headers: Partial<Record<ResponseHeaderName, string>> = {};
  for (let i = 0; i < RESPONSE_HEADERS.length; i++) {
    const name = RESPONSE_HEADERS[i]!;
    let value: unknown;
    if (careful) {
      try {
        value = given[name];
      } catch {
        continue;
      }
    } else value = given[name];
    if (isSafeValue(value)) headers[name] = value;
  }
  return headers;
}

/**
 * What a result or error says of `response`. `body` is given for a check answer, whose body has the gateway's id of
 * it (`gatewayRequestId`, already checked by protocol/check-answer.ts, absent when it was unusable): that one is the
 * gateway's id, as the result's own `gatewayRequestId` says. Otherwise the `x-request-id` header stands for it, held to
 * the same rule. Never throws: a transport of any make may hand over headers that are odd (not strings, a getter that
 * throws).
 * @internal
 */
export function responseInfo(response: TransportResponse, body?: { readonly gatewayRequestId?: string | undefined }): ResponseInfo {
  let headers: Partial<Record<ResponseHeaderName, string>> = {};
  const given = response.headers as Record<string, unknown> | undefined;
  if (typeof given === 'object' && given !== null) {
    // One guard for the common case; a header that throws when read (a getter, a Proxy) sends it the careful way.
    try {
      headers = selectedHeaders(given, false);
    } catch {
      headers = selectedHeaders(given, true);
    }
  }
  Object.freeze(headers);
  const echoed = headers[HEADERS.requestId as 'x-request-id'];
  const gatewayRequestId = body !== undefined ? body.gatewayRequestId : echoed !== undefined && GATEWAY_REQUEST_ID.test(echoed) ? echoed : undefined;
  const status = response.status;
  return Object.freeze(gatewayRequestId === undefined ? { status, headers } : { status, gatewayRequestId, headers });
}
