// Which part of the gateway answers a request: the bearer token first, then the path and method, then the body.
import { HEADERS, PATHS } from '../protocol/index';
import type { Fault } from './faults';
import { fail, invalid, type GatewayRequest, type GatewayResponse } from './responses';

const WITHDRAWAL_PATH = /^\/v1\/reports\/documents\/([^/]+)\/withdrawal$/;
const SNAPSHOT_PATH = /^\/v1\/snapshots\/([^/]+)$/;
const RECORD_PATH = /^\/v1\/records\/([^/]+)\/([^/]+)$/;
const CONFIRMATION_REQUESTS_PATH = /^\/v1\/hits\/([^/]+)\/confirmation-requests$/;
const CONFIRMATION_PATH = /^\/v1\/confirmation-requests\/([^/]+)$/;

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
function segment(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A body that is not JSON. @internal */
export const NOT_JSON = Symbol('not JSON');

/** The body parsed as JSON: undefined when empty, NOT_JSON when it is not JSON. @internal */
export function readBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** The path without its query string. @internal */
export const pathOf = (target: string): string => {
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
};

/** The query string without its `?`; empty when there is none. */
const queryOf = (target: string): string => {
  const q = target.indexOf('?');
  return q === -1 ? '' : target.slice(q + 1);
};

/** What the router hands each path to. @internal */
export interface Routes {
  /** When set, every request needs `authorization: Bearer <token>`. */
  token: string | undefined;
  checks(body: unknown, requestId: string, fault: Fault | undefined): GatewayResponse;
  report(req: GatewayRequest, path: string, body: unknown, requestId: string): GatewayResponse;
  withdrawal(req: GatewayRequest, path: string, recordId: string, body: unknown, requestId: string): GatewayResponse;
  snapshot(req: GatewayRequest, source: string, query: string, requestId: string): GatewayResponse;
  record(req: GatewayRequest, source: string, recordId: string, requestId: string): GatewayResponse;
  confirmationRequest(req: GatewayRequest, path: string, hitId: string, body: unknown, requestId: string): GatewayResponse;
  confirmationStatus(req: GatewayRequest, confirmationId: string, requestId: string): GatewayResponse;
}

/** The router of protocol v1's paths. @internal */
export function createRouter(routes: Routes) {
  return function route(req: GatewayRequest, path: string, body: unknown, requestId: string, fault: Fault | undefined): GatewayResponse {
    if (routes.token !== undefined && req.headers[HEADERS.authorization] !== `Bearer ${routes.token}`) {
      return fail(401, requestId, 'UNAUTHENTICATED', 'A valid bearer token is required');
    }
    const snapshot = SNAPSHOT_PATH.exec(path);
    if (snapshot !== null) {
      // A GET has no body: its context is in its headers (snapshots.ts).
      if (req.method !== 'GET') return fail(405, requestId, 'METHOD_NOT_ALLOWED', 'Only GET is allowed on this path', undefined, { allow: 'GET' });
      let source: string;
      try {
        source = decodeURIComponent(snapshot[1]!);
      } catch {
        return fail(404, requestId, 'NOT_FOUND', 'No such source');
      }
      return routes.snapshot(req, source, queryOf(req.path), requestId);
    }
    // The second line: a full record and a confirmation's status are GETs (their context in the headers).
    const record = RECORD_PATH.exec(path);
    const status = record === null ? CONFIRMATION_PATH.exec(path) : null;
    if (record !== null || status !== null) {
      if (req.method !== 'GET') return fail(405, requestId, 'METHOD_NOT_ALLOWED', 'Only GET is allowed on this path', undefined, { allow: 'GET' });
      if (record !== null) {
        const [source, recordId] = [segment(record[1]!), segment(record[2]!)];
        if (source === undefined || recordId === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such record');
        return routes.record(req, source, recordId, requestId);
      }
      const confirmationId = segment(status![1]!);
      if (confirmationId === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such confirmation request');
      return routes.confirmationStatus(req, confirmationId, requestId);
    }
    const asking = CONFIRMATION_REQUESTS_PATH.exec(path);
    if (asking !== null) {
      if (req.method !== 'POST') return fail(405, requestId, 'METHOD_NOT_ALLOWED', 'Only POST is allowed on this path', undefined, { allow: 'POST' });
      if (body === NOT_JSON || body === undefined) return invalid(requestId, [{ path: '(root)', message: 'must be a JSON object' }]);
      const hitId = segment(asking[1]!);
      if (hitId === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such hit');
      return routes.confirmationRequest(req, path, hitId, body, requestId);
    }
    const known = path === PATHS.checks || path === PATHS.documentReports || WITHDRAWAL_PATH.test(path);
    if (!known) return fail(404, requestId, 'NOT_FOUND', 'No such path in protocol v1');
    if (req.method !== 'POST') return fail(405, requestId, 'METHOD_NOT_ALLOWED', 'Only POST is allowed on this path', undefined, { allow: 'POST' });
    if (body === NOT_JSON || body === undefined) return invalid(requestId, [{ path: '(root)', message: 'must be a JSON object' }]);
    if (path === PATHS.checks) return routes.checks(body, requestId, fault);
    if (path === PATHS.documentReports) return routes.report(req, path, body, requestId);
    const m = WITHDRAWAL_PATH.exec(path)!;
    let recordId: string;
    try {
      recordId = decodeURIComponent(m[1]!);
    } catch {
      return fail(404, requestId, 'NOT_FOUND', 'No such record');
    }
    return routes.withdrawal(req, path, recordId, body, requestId);
  };
}
