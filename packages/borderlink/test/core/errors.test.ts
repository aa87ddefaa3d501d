import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors/index';
import { errorFromResponse, parseRetryAfter } from '../../src/protocol/errors';

describe('error classes', () => {
  it('hold instanceof through the class chain', () => {
    const err = new errors.RateLimitError('slow down', { retryAfterMs: 1000 });
    expect(err).toBeInstanceOf(errors.RateLimitError);
    expect(err).toBeInstanceOf(errors.BorderlinkError);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(errors.GatewayError);
    expect(err.name).toBe('RateLimitError');
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryable).toBe(true);
  });

  it('hold instanceof for an error made by another copy of the library (Symbol.for brands)', () => {
    // Another copy's class has the same brand but is a different constructor.
    class OtherTimeoutError extends Error {}
    const foreign = new OtherTimeoutError('x');
    Object.defineProperty(foreign, Symbol.for('borderlink.error.BorderlinkError'), { value: true });
    Object.defineProperty(foreign, Symbol.for('borderlink.error.TimeoutError'), { value: true });
    expect(foreign).toBeInstanceOf(errors.TimeoutError);
    expect(foreign).toBeInstanceOf(errors.BorderlinkError);
    expect(foreign).not.toBeInstanceOf(errors.ConnectionError);
  });

  it('serialise to JSON with code and call metadata', () => {
    const err = new errors.InputError('bad', [{ path: 'documentNumber', message: 'must be letters' }], { requestId: 'r', attempts: 0 });
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: 'InputError', code: 'INVALID_INPUT', requestId: 'r', issues: [{ path: 'documentNumber' }] });
  });
});

describe('errorFromResponse', () => {
  const res = (status: number, body = '', headers: Record<string, string> = {}) => ({ status, headers, body });
  const table: [number, string, string, boolean, boolean][] = [
    // status, class, code, retryable for reads, retryable for writes
    [400, 'InputError', 'INVALID_REQUEST', false, false],
    [401, 'AuthenticationError', 'UNAUTHENTICATED', false, false],
    [403, 'PermissionError', 'FORBIDDEN', false, false],
    [404, 'NotFoundError', 'NOT_FOUND', false, false],
    [408, 'GatewayError', 'UPSTREAM_TIMEOUT', true, true],
    [409, 'ConflictError', 'IDEMPOTENCY_KEY_REUSED', false, false],
    [413, 'InputError', 'TOO_MANY_ITEMS', false, false],
    [422, 'GatewayError', 'GATEWAY_ERROR', false, false],
    [429, 'RateLimitError', 'RATE_LIMITED', true, true],
    [500, 'GatewayError', 'INTERNAL', true, false],
    [502, 'GatewayError', 'UPSTREAM_UNAVAILABLE', true, true],
    [503, 'GatewayError', 'UPSTREAM_UNAVAILABLE', true, true],
    [504, 'GatewayError', 'UPSTREAM_TIMEOUT', true, true],
  ];
  it.each(table)('maps %i to %s %s', (status, name, code, readRetry, writeRetry) => {
    const read = errorFromResponse(res(status), true);
    const write = errorFromResponse(res(status), false);
    expect(read.name).toBe(name);
    expect(read.code).toBe(code);
    expect(read.status).toBe(status);
    expect(read.retryable).toBe(readRetry);
    expect(write.retryable).toBe(writeRetry);
  });

  it('tells NOT_ISSUER from other 403s', () => {
    const err = errorFromResponse(res(403, JSON.stringify({ error: { code: 'NOT_ISSUER', message: 'x' } })), false);
    expect(err).toBeInstanceOf(errors.PermissionError);
    expect(err.code).toBe('NOT_ISSUER');
  });

  it('keeps detail paths but not the gateway messages, which may quote searched values', () => {
    const body = JSON.stringify({
      error: { code: 'INVALID_REQUEST', message: 'L898902C3 is bad', details: [{ path: 'items.0.subjects.0.documentNumber', message: 'L898902C3 bad' }] },
    });
    const err = errorFromResponse(res(400, body), true) as errors.InputError;
    expect(err.issues).toEqual([{ path: 'items.0.subjects.0.documentNumber', message: 'rejected by the gateway' }]);
    expect(JSON.stringify(err) + err.message).not.toContain('L898902C3');
  });

  it('reads retry-after as seconds, HTTP date and retry-after-ms', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': 'Sun, 29 Nov 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': 'Sun, 29 Nov 2026 11:00:00 GMT' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
    const err = errorFromResponse(res(429, '', { 'retry-after': '2' }), true) as errors.RateLimitError;
    expect(err.retryAfterMs).toBe(2000);
  });
});

describe('gateway detail paths', () => {
  it('keep protocol field names and indexes only, so a value put into a path does not pass', () => {
    const body = JSON.stringify({
      error: {
        code: 'INVALID_REQUEST',
        message: 'bad',
        details: [
          { path: 'items.0.subjects.1.dateOfBirth', message: 'x' },
          { path: 'items.0.L898902C3', message: 'x' },
        ],
      },
    });
    const err = errorFromResponse({ status: 400, headers: {}, body }, true) as errors.InputError;
    expect(err.issues.map((i) => i.path)).toEqual(['items.0.subjects.1.dateOfBirth', 'items.0.?']);
  });
});
