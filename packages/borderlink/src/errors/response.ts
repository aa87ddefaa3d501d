// What a result or an error says of the gateway's answer it came from: its status, the gateway's own id of it and a
// closed list of its headers. Never its body (which may quote searched values), and only values of a safe shape (the
// protocol layer reads them: protocol/response.ts).

/**
 * The response headers a {@link ResponseInfo} may carry, and nothing else: the answer's `date`, the `x-request-id` a
 * gateway echoes or gives, the `retry-after` and `retry-after-ms` of a 429 or 503, `idempotent-replayed` of a write,
 * `server-timing`, and the `ratelimit-*` headers of the IETF draft.
 * @example
 * ```ts
 * for (const name of RESPONSE_HEADERS) if (result.response?.headers[name] !== undefined) console.log(name, result.response.headers[name]);
 * ```
 */
export const RESPONSE_HEADERS = Object.freeze([
  'date',
  'x-request-id',
  'retry-after',
  'retry-after-ms',
  'idempotent-replayed',
  'server-timing',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
] as const);

/** One of {@link RESPONSE_HEADERS}. */
export type ResponseHeaderName = (typeof RESPONSE_HEADERS)[number];

/**
 * The gateway's answer a result or an error came from, as far as an integrator needs it: never its body. Each value
 * is gateway text of a checked shape (visible ASCII and spaces, at most 512 characters), not a value the SDK vouches
 * for: a header of another shape is left out, never shortened, and never makes the call fail.
 * @example
 * ```ts
 * const result = await client.checkDocument(doc);
 * console.log(result.response?.status, result.response?.gatewayRequestId, result.response?.headers['server-timing']);
 * ```
 */
export interface ResponseInfo {
  /** The HTTP status of the answer. */
  readonly status: number;
  /**
   * The gateway's own id of the answer: a check answer's body `requestId`, else its `x-request-id` header; only when
   * it has 1 to 128 printable ASCII characters without spaces (`^[\x21-\x7e]{1,128}$`), else absent.
   */
  readonly gatewayRequestId?: string;
  /** The answer's headers among {@link RESPONSE_HEADERS} that it had with a value of the checked shape, by lower-case name. */
  readonly headers: Readonly<Partial<Record<ResponseHeaderName, string>>>;
}
