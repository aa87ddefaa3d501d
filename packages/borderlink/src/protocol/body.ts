// Reading a 2xx body. Neither message quotes the body: it holds personal data.
//
// A body that is not JSON (cut off on a poor link) is a retryable ProtocolError, for reads and writes alike: a read is
// safe to send again, and a write is sent again with the same idempotency key, so the gateway replays what it stored
// instead of storing it twice. A write's answer that is JSON but off the schema is retryable for the same reason (the
// retry gets the stored answer, or the error again). A read's answer off the schema is not: asking again gets the
// same answer from a gateway that speaks another version.
import type { z } from 'zod';
import { ProtocolError } from '../errors/index';
import type { TransportResponse } from '../transport/types';

/** The body as JSON, or a retryable ProtocolError that says nothing of what the body held. */
export function readJson(response: TransportResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch (cause) {
    throw new ProtocolError('The gateway answered with a body that is not JSON (cut off or malformed)', {
      retryable: true,
      status: response.status,
      cause: cause instanceof Error ? new Error(cause.name) : undefined,
    });
  }
}

/** The body read with a strict schema: `isRead` false makes an answer off the schema retryable (see above). */
export function parseBody<S extends z.ZodType>(response: TransportResponse, schema: S, isRead: boolean): z.output<S> {
  const parsed = schema.safeParse(readJson(response));
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(root)', message: 'does not match protocol v1' }));
    throw new ProtocolError(`The gateway's answer does not match protocol v1 at ${issues[0]?.path ?? '(root)'}`, {
      retryable: !isRead,
      status: response.status,
      issues,
    });
  }
  return parsed.data;
}
