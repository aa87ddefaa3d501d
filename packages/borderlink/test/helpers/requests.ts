// Small pieces the transport tests share.
import type { TransportRequest } from 'borderlink';

/** A GET through a transport, with the fields every request carries. */
export function get(path = '/v1/status', extra: Partial<TransportRequest> = {}): TransportRequest {
  return { method: 'GET', path, headers: {}, timeoutMs: 5000, ...extra };
}

/** What the promise rejected with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
