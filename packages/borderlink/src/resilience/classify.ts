// Which failures are retried, and which say the gateway is unhealthy. Both are tables over error codes: the error
// classes already decide most of it (`retryable` is set per status by errorFromResponse).
import {
  AbortError,
  BorderlinkError,
  CircuitOpenError,
  GatewayError,
  ProtocolError,
  RateLimitError,
  TimeoutError,
} from '../errors/index';

/**
 * Whether one failed attempt may be tried again. ConnectionError, attempt timeouts, 429, retryable 5xx/408 and cut-off
 * bodies are; a call-scope timeout (the deadline passed), an open breaker and a caller abort never are; neither is any
 * 4xx. Reads and writes follow the same rule: errorFromResponse already refuses a 500 on a write.
 */
export function isRetryable(error: unknown): error is BorderlinkError {
  if (!(error instanceof BorderlinkError) || !error.retryable) return false;
  if (error instanceof TimeoutError) return error.scope === 'attempt';
  return !(error instanceof CircuitOpenError) && !(error instanceof AbortError);
}

/** How a call's end counts for the circuit breaker. */
export type BreakerVerdict = 'failure' | 'success' | 'neutral';

// By error code. `success` means the gateway answered deliberately, so it is up; `neutral` says nothing either way.
const BREAKER_VERDICTS: Readonly<Record<string, BreakerVerdict>> = {
  CONNECTION_FAILED: 'failure',
  TIMEOUT: 'failure',
  INTERNAL: 'failure',
  UPSTREAM_UNAVAILABLE: 'failure',
  UPSTREAM_TIMEOUT: 'failure',
  // 429 is the gateway throttling this client on purpose: it is healthy, and the retry budget and retry-after already
  // slow us down. Opening the breaker on it would turn a throttle into an outage for every check.
  RATE_LIMITED: 'success',
  INVALID_INPUT: 'success',
  INVALID_REQUEST: 'success',
  TOO_MANY_ITEMS: 'success',
  INVALID_MRZ: 'success',
  UNAUTHENTICATED: 'success',
  FORBIDDEN: 'success',
  NOT_ISSUER: 'success',
  NOT_FOUND: 'success',
  IDEMPOTENCY_KEY_REUSED: 'success',
  ABORTED: 'neutral',
  CIRCUIT_OPEN: 'neutral',
  INVALID_CONFIG: 'neutral',
};

export function breakerVerdict(error: unknown): BreakerVerdict {
  if (!(error instanceof BorderlinkError)) return 'failure';
  // A cut-off body is a broken link; a well-formed body off the schema is a gateway speaking another version.
  if (error instanceof ProtocolError) return error.retryable ? 'failure' : 'neutral';
  // Any other 5xx is a failing gateway, any other 4xx a deliberate answer; a 1xx/3xx is a misconfiguration.
  if (error.code === 'GATEWAY_ERROR') {
    const status = error.status ?? 500;
    return status >= 500 ? 'failure' : status >= 400 ? 'success' : 'neutral';
  }
  return BREAKER_VERDICTS[error.code] ?? 'neutral';
}

/** The wait the gateway asked for, from `retry-after` / `retry-after-ms`, when the error carries one. */
export function retryAfterOf(error: BorderlinkError): number | undefined {
  if (error instanceof RateLimitError || error instanceof GatewayError) return error.retryAfterMs;
  return undefined;
}
