// Rule 2 against a gateway we did not write: whatever strings it sends (error codes, request ids, descriptive fields
// holding a planted document number, a planted name and terminal escape codes), none reaches an error message or its
// toJSON, a log line or an audit event. Over real sockets, with every log level on.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BorderlinkError, createClient, httpTransport, type AuditEvent, type BorderlinkClient } from 'borderlink';
import { item, itemValue, PLANTED } from './answers';
import { startHostileGateway, type HostileGateway } from './server';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const subjects = [{ kind: 'document' as const, documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' as const }];
const planted = Object.values(PLANTED);
const ESC = /[\u0000-\u001f\u007f-\u009f]/;

let gateway: HostileGateway;
const logged: string[] = [];
const audited: AuditEvent[] = [];
const sink = (m: string, f?: Record<string, unknown>) => void logged.push(`${m} ${JSON.stringify(f ?? {})}`);
// The same client without and with automatic batching: a batched call reaches its answer and its error by another
// path (the batcher's own error copies and request ids), which must hold rule 2 just the same.
const clients: Record<string, BorderlinkClient> = {};
const SETUPS = ['single requests', 'automatic batching'] as const;

beforeAll(async () => {
  gateway = await startHostileGateway();
  for (const setup of SETUPS) {
    clients[setup] = createClient({
      transport: httpTransport({ baseUrl: gateway.url }),
      context,
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
      breaker: false,
      dedupe: false,
      logLevel: 'debug',
      logger: { error: sink, warn: sink, info: sink, debug: sink },
      onAudit: (e) => audited.push(e),
      ...(setup === 'automatic batching' ? { batching: { maxItems: 10 } } : {}),
    });
  }
});
afterAll(async () => {
  for (const client of Object.values(clients)) await client.close();
  await gateway?.close();
});

const gatewayString = fc.oneof(fc.constantFrom(...planted), fc.constantFrom(...planted).map((p) => `X${p}`), fc.string({ maxLength: 12 }).map((s) => `${PLANTED.documentNumber}${s}`));
const errorStatus = fc.constantFrom(400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 504, 418);

function assertClean(text: string): void {
  for (const p of planted) expect(text).not.toContain(p);
}

describe.each(SETUPS)('gateway strings planted with personal values and escape codes, %s', (setup) => {
  it('never reach an error, a log line or an audit event', async () => {
    const client = clients[setup]!;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ kind: fc.constant('error' as const), status: errorStatus, code: gatewayString, message: gatewayString, path: gatewayString }),
          fc.record({ kind: fc.constant('answer' as const), requestId: gatewayString, item }),
        ),
        gatewayString,
        async (answer, headerId) => {
          logged.length = 0;
          audited.length = 0;
          const body =
            answer.kind === 'error'
              ? JSON.stringify({ error: { code: answer.code, message: answer.message, details: [{ path: answer.path, message: answer.message }] } })
              : JSON.stringify({ requestId: answer.requestId, items: [itemValue('1', answer.item)] });
          const status = answer.kind === 'error' ? answer.status : 200;
          gateway.answer(() => ({ status, headers: [['content-type', 'application/json'], ['x-request-id', headerId.replace(/[\r\n]/g, '')]], body }));
          try {
            const result = await client.check({ subjects, sources: ['SLTD', 'TDAWN'] });
            assertClean(result.requestId);
            for (const w of result.warnings ?? []) assertClean(w.path);
          } catch (err) {
            expect(err).toBeInstanceOf(BorderlinkError);
            const e = err as BorderlinkError;
            assertClean(e.message);
            assertClean(JSON.stringify(e.toJSON()));
            assertClean(JSON.stringify(e));
            expect(e.message).not.toMatch(ESC);
          }
          for (const line of logged) assertClean(line);
          for (const event of audited) assertClean(JSON.stringify(event));
        },
      ),
      { numRuns: 150 },
    );
  });
});
