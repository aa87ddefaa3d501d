// The one place where a gateway's answer becomes a value or a typed error. The client hands the attempt layer one
// decode function per call; the resilience layer never reads a status or a body itself.
import { BorderlinkError } from '../errors/index';
import type { TransportResponse } from '../transport/types';
import { errorFromResponse } from './errors';
import { responseInfo } from './response';

/**
 * A decode function for one call: a 2xx answer is read by `readBody`; any other status is the typed error for it
 * (see errorFromResponse: `kind` decides whether a 500 may be retried). Either error says which answer it came from
 * (`response`).
 * @internal
 */
export function decodeAnswer<T>(
  kind: 'read' | 'write',
  requestId: string,
  readBody: (response: TransportResponse) => T,
): (response: TransportResponse) => T {
  const isRead = kind === 'read';
  return (response) => {
    if (response.status >= 200 && response.status < 300) {
      try {
        return readBody(response);
      } catch (err) {
        if (err instanceof BorderlinkError && err.response === undefined) err.response = responseInfo(response);
        throw err;
      }
    }
    throw errorFromResponse(response, isRead, { requestId });
  };
}
