// What a request and an answer of the mock gateway are, and the answers every part of it gives (JSON, protocol
// error bodies).
import type { FieldIssue } from 'borderlink';
import { HEADERS } from '../protocol/index';

/** One request as the gateway sees it. Header names are lower-case. */
export interface GatewayRequest {
  method: string;
  /** Path, optionally with a query string, e.g. `/v1/checks`. */
  path: string;
  headers: Record<string, string | undefined>;
  /** The body as text; empty when there is none. */
  body: string;
  /** Fires when the client went away: a pending delay stops and the request is not processed. */
  signal?: AbortSignal | undefined;
}

/**
 * The gateway's answer. `disconnect` tells the socket layer how to break the connection for a fault. A snapshot's
 * answer streams: `stream` gives its body in parts, written one by one as the connection takes them, and `body` is
 * then empty.
 */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body in parts, made as they are written (never whole in memory); `body` is empty beside it. @default none */
  stream?: AsyncIterable<string>;
  /**
   * `before-answer`: destroy the connection instead of answering (`reset`, `lost-response`). `mid-body`: send the
   * headers with `content-length: declaredLength`, then `body` (shorter), then destroy (`truncated`); with `stream`,
   * send the headers and the parts it gives, then destroy before the answer is complete.
   */
  disconnect?: 'before-answer' | 'mid-body';
  /** Bytes the `content-length` header promises when `disconnect` is `mid-body`. */
  declaredLength?: number;
}

/** @internal */
export type Json = Record<string, unknown>;

/** @internal */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @internal */
export const JSON_TYPE = 'application/json';

/** The headers of every JSON answer. @internal */
export const jsonHeaders = (requestId: string): Record<string, string> => ({ [HEADERS.contentType]: JSON_TYPE, [HEADERS.requestId]: requestId });

/** A JSON answer. @internal */
export function respond(status: number, requestId: string, body: unknown, extra?: Record<string, string>): GatewayResponse {
  return { status, headers: { ...jsonHeaders(requestId), ...extra }, body: JSON.stringify(body) };
}

/** A protocol error answer; `details` name fields by path (at most 100). @internal */
export function fail(
  status: number,
  requestId: string,
  code: string,
  message: string,
  details?: readonly FieldIssue[],
  extra?: Record<string, string>,
): GatewayResponse {
  return respond(status, requestId, { error: { code, message, ...(details && details.length > 0 ? { details: details.slice(0, 100) } : {}) } }, extra);
}

/** 400 INVALID_REQUEST naming the bad fields. @internal */
export function invalid(requestId: string, details: readonly FieldIssue[]): GatewayResponse {
  return fail(400, requestId, 'INVALID_REQUEST', 'The request is invalid; see details for the fields', details);
}
