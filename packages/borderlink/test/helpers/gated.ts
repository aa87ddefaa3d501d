// The mock transport behind gates, for the tests of what a client does while its requests are out: each request is
// answered only when the test releases it (or fails it), unless `immediate` answers it at once.
import { GatewayError, type Transport, type TransportRequest, type TransportResponse } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

export interface GatedTransport extends Transport {
  /** Every request, in the order sent. */
  readonly sent: TransportRequest[];
  /** Lets request `i` (its index in `sent`) through to the mock gateway. */
  release(i: number): void;
  /** Lets every request waiting through. */
  releaseAll(): void;
  /** Indexes of requests that fail with a 500 when released. */
  readonly fail: Set<number>;
}

/** The items of a `POST /v1/checks` request. */
export const itemsOf = (r: TransportRequest): number => (JSON.parse(r.body ?? '{}') as { items?: unknown[] }).items?.length ?? 0;

export function gatedTransport(immediate?: (request: TransportRequest) => TransportResponse | undefined): GatedTransport {
  const inner = mockTransport();
  const sent: TransportRequest[] = [];
  const gates = new Map<number, () => void>();
  const fail = new Set<number>();
  return {
    endpoint: inner.endpoint,
    sent,
    fail,
    release: (i) => gates.get(i)!(),
    releaseAll: () => {
      const waiting = [...gates.values()];
      gates.clear();
      for (const open of waiting) open();
    },
    send(request: TransportRequest): Promise<TransportResponse> {
      const i = sent.push(request) - 1;
      const answer = immediate?.(request);
      if (answer !== undefined) return Promise.resolve(answer);
      return new Promise<void>((resolve) => gates.set(i, resolve)).then(() => {
        if (fail.has(i)) throw new GatewayError('The gateway failed', { status: 500, retryable: false });
        return inner.send(request);
      });
    },
    close: () => inner.close(),
  };
}
