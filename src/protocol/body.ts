// Reading a 2xx body: not JSON (cut off on a poor link) is a retryable ProtocolError for reads; JSON that breaks the
// schema is a non-retryable one. Neither message quotes the body: it holds personal data.
import type { z } from 'zod';
import { ProtocolError } from '../errors/index';
import type { TransportResponse } from '../transport/types';

/** The body as JSON, or a ProtocolError (retryable as asked) that says nothing of what the body held. */
export function readJson(response: TransportResponse, retryable: boolean): unknown {
  try {
    return JSON.parse(response.body);
  } catch (cause) {
    throw new ProtocolError('The gateway answered with a body that is not JSON (cut off or malformed)', {
      retryable,
      status: response.status,
      cause: cause instanceof Error ? new Error(cause.name) : undefined,
    });
  }
}

export function parseBody<S extends z.ZodType>(response: TransportResponse, schema: S, isRead: boolean): z.output<S> {
  const parsed = schema.safeParse(readJson(response, isRead));
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(root)', message: 'does not match protocol v1' }));
    throw new ProtocolError(`The gateway's answer does not match protocol v1 at ${issues[0]?.path ?? '(root)'}`, {
      retryable: false,
      status: response.status,
      issues,
    });
  }
  return parsed.data;
}
