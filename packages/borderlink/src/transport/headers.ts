// The request headers the HTTP transport itself owns: HTTP/1.1 framing and connection management, which undici and the
// transport set from the request (its body, its pool). A value given for one of them from outside would break the
// framing of the request or the reuse of its connection, so neither a static header of `httpTransport` nor a call's
// own may carry one. The client's table of every header the SDK owns (protocol/headers.ts) is built on this one.

/** Header names the transport sets or forbids, lower case, each with why. @internal */
export const TRANSPORT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  host: 'is set by the transport (the gateway of `baseUrl`)',
  connection: 'is a hop-by-hop header the transport manages',
  'keep-alive': 'is a hop-by-hop header the transport manages',
  'proxy-connection': 'is a hop-by-hop header the transport manages',
  te: 'is a hop-by-hop header the transport manages',
  trailer: 'is a hop-by-hop header the transport manages',
  upgrade: 'is a hop-by-hop header the transport manages',
  'transfer-encoding': 'is set by the transport (the framing of the body)',
  'content-length': 'is set by the transport (the framing of the body)',
  'content-encoding': 'is set by the transport (bodies are sent as JSON text, not encoded)',
  'accept-encoding': 'is set by the transport (answers are read as they are sent, not decoded)',
  expect: 'is set by the transport (it never waits for 100-continue)',
});

/** The syntax of a header name (RFC 9110 `token`). @internal */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
