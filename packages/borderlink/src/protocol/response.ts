// A gateway's answer as a result or an error describes it (ResponseInfo): its status, its own id, a closed list of
// its headers. Rule 2: all of it is gateway text, so each value is kept only in a checked shape, never shortened or
// repaired; rule 1: reading it never fails, so an odd header can never turn an answer (a HIT) into an error.
import { RESPONSE_HEADERS, type ResponseHeaderName, type ResponseInfo } from '../errors/index';
import type { TransportResponse } from '../transport/types';
import { GATEWAY_REQUEST_ID, HEADERS } from './wire';

/** The longest header value kept. @unit characters */
const MAX_VALUE_LENGTH = 512;
/** Visible ASCII and spaces, not starting or ending with a space: no control character, nothing outside ASCII. */
const SAFE_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

function safeValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length <= MAX_VALUE_LENGTH && SAFE_VALUE.test(trimmed) ? trimmed : undefined;
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
  const headers: Partial<Record<ResponseHeaderName, string>> = {};
  const given = response.headers as Record<string, unknown> | undefined;
  if (typeof given === 'object' && given !== null) {
    for (let i = 0; i < RESPONSE_HEADERS.length; i++) {
      const name = RESPONSE_HEADERS[i]!;
      let value: string | undefined;
      try {
        value = safeValue(given[name]);
      } catch {
        value = undefined;
      }
      if (value !== undefined) headers[name] = value;
    }
  }
  Object.freeze(headers);
  const echoed = headers[HEADERS.requestId as 'x-request-id'];
  const gatewayRequestId = body !== undefined ? body.gatewayRequestId : echoed !== undefined && GATEWAY_REQUEST_ID.test(echoed) ? echoed : undefined;
  const status = response.status;
  return Object.freeze(gatewayRequestId === undefined ? { status, headers } : { status, gatewayRequestId, headers });
}
