// What the second-line tests share: a mock gateway on a real socket and clients over httpTransport, a fake clock that
// both the client and the gateway read (deadlines of minutes pass at once, exactly), and a search for a hit.
import { afterEach, vi } from 'vitest';
import { createClient, httpTransport, type AuditEvent, type BorderlinkClient, type ClientOptions, type Hit, type QueryContext } from 'borderlink';
import { createMockGateway, type MockGateway, type MockGatewayOptions } from 'borderlink/testing';

export const context: QueryContext = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE', locationId: 'UTO-LANE-07' };

/** The first hit of each source in the demo dataset, by the query that finds it. */
export const QUERIES = {
  SLTD: { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
  TDAWN: { kind: 'document', documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT' },
  NOMINAL: { kind: 'person', surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' },
  SMV: { kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' },
} as const;

/** The searched values of the demo's records and what their full records add: none may reach a log or an audit event. */
export const PERSONAL = /L898902C3|PX7734551|STORGAARD|STORGARD|ERIKSSON|1968-03-22|WVWZZZ1JZXW000001|AB-123|scar above|CJZ-448812|lane 7/i;

export interface FakeClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Moves the clock by `ms`, firing no timer. */
  advance(ms: number): void;
  /**
   * Waits until a timer of at least `minMs` is set (what a following confirmation sleeps on; every timer of a request
   * in flight is shorter), moves the clock to it and fires it. Returns the timer's delay.
   */
  fireSleep(minMs?: number): Promise<number>;
  /**
   * Fires each sleep of at least `minMs` as soon as it is set, until `promise` settles; gives what it settled with, and
   * the delays of the sleeps fired, in order.
   */
  drive<T>(promise: Promise<T>, minMs?: number): Promise<{ value: T; sleeps: number[] }>;
}

/** A clock by hand, from 1 December 2026 08:00 UTC. */
export function fakeClock(start = Date.parse('2026-12-01T08:00:00Z')): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { due: number; ms: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { due: now + ms, ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
    },
    async fireSleep(minMs = 4000) {
      const found = await vi.waitFor(
        () => {
          for (const [id, t] of timers) if (t.ms >= minMs) return [id, t] as const;
          throw new Error('no sleep yet');
        },
        { timeout: 10_000, interval: 2 },
      );
      const [id, timer] = found;
      timers.delete(id);
      now = Math.max(now, timer.due);
      timer.fn();
      return timer.ms;
    },
    async drive(promise, minMs = 4000) {
      let settled = false;
      const watched = promise.finally(() => (settled = true));
      watched.catch(() => undefined);
      const sleeps: number[] = [];
      const giveUpAt = performance.now() + 20_000;
      while (!settled) {
        if (performance.now() > giveUpAt) throw new Error('the promise never settled');
        const found = [...timers].find(([, t]) => t.ms >= minMs);
        if (found !== undefined) {
          const [id, timer] = found;
          timers.delete(id);
          now = Math.max(now, timer.due);
          sleeps.push(timer.ms);
          timer.fn();
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return { value: await watched, sleeps };
    },
  };
}

const gateways: MockGateway[] = [];
const clients: BorderlinkClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

export async function startGateway(options: MockGatewayOptions = {}): Promise<MockGateway> {
  const gateway = await createMockGateway(options);
  gateways.push(gateway);
  return gateway;
}

/** A client over a real socket to `gateway`, recording its audit events; closed after the test. */
export function connect(gateway: MockGateway, options: Partial<ClientOptions> = {}): { client: BorderlinkClient; audit: AuditEvent[] } {
  const audit: AuditEvent[] = [];
  const client = createClient({
    transport: httpTransport({ baseUrl: gateway.url }),
    context,
    onAudit: (e) => audit.push(e),
    ...options,
  });
  clients.push(client);
  return { client, audit };
}

/** The hit of `source` a check of its demo query finds. */
export async function hitOf(client: BorderlinkClient, source: keyof typeof QUERIES): Promise<Hit> {
  const result = await client.check({ subjects: [QUERIES[source]] as never, sources: [source] });
  const hit = result.hits.find((h) => h.source === source);
  if (hit === undefined) throw new Error(`no ${source} hit`);
  return hit;
}
