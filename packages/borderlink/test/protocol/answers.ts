// Check answers written by hand, and a gateway on a real socket that sends them: for the tests of how the client
// reads what a gateway it did not write says.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/* eslint-disable @typescript-eslint/no-explicit-any -- answers are arbitrary JSON on purpose */
export type Json = any;

export const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
export const passport = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
export const linkedPassport = { documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
export const person = { surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22' };
export const vehicle = { vin: 'WVWZZZ1JZXW000001' };

const base = (hitId: string, source: string, recordId: string) => ({
  hitId,
  source,
  recordId,
  ownerCountry: 'UTO',
  match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber', 'issuingState'] },
  actionToBeTaken: 'SEIZE_DOCUMENT',
  confirmation: { state: 'UNCONFIRMED' },
});
const notice = { type: 'RED', reference: 'A-1207/3-2024', requestingCountry: 'UTO', charges: ['ARMED ROBBERY'] };

/** A valid hit of each kind, exactly as protocol v1 describes it. */
export const hits = {
  document: (): Json => ({
    ...base('h-sltd-1', 'SLTD', 'SLTD-UTO-0001'),
    kind: 'document',
    document: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2023-03-14' },
  }),
  linked: (): Json => ({
    ...base('h-tdawn-1', 'TDAWN', 'TDAWN-UTO-0001'),
    kind: 'linked-document',
    document: { documentNumber: 'PX7734551', issuingState: 'UTO', documentType: 'PASSPORT', status: 'VALID' },
    notice: structuredClone(notice),
  }),
  person: (): Json => ({
    ...base('h-nominal-1', 'NOMINAL', 'NOMINAL-UTO-0001'),
    kind: 'person',
    person: { surname: 'STORGAARD', givenNames: ['NILS', 'ERIK'], dateOfBirth: '1968-03-22', nationalities: ['UTO'] },
    notice: structuredClone(notice),
  }),
  vehicle: (): Json => ({
    ...base('h-smv-1', 'SMV', 'SMV-UTO-0001'),
    kind: 'vehicle',
    vehicle: { vin: 'WVWZZZ1JZXW000001', plate: 'UT-123-AB', make: 'VW', model: 'Golf', colour: 'blue', theftDate: '2025-01-02', registrationCountry: 'UTO' },
  }),
};

/** One answered item: an outcome per source (`HIT` for the sources of `found`, else `NO_HIT`) and the hits. */
export function item(itemId: string, sources: readonly string[], found: Json[] = []): Json {
  const hitSources = new Set(found.map((h) => h.source));
  return {
    itemId,
    outcomes: sources.map((source) => ({ source, status: hitSources.has(source) ? 'HIT' : 'NO_HIT', dataAsOf: '2026-12-01T06:00:00Z' })),
    hits: found,
  };
}

/** What the crafted gateway is told about each request. */
export interface CraftedRequest {
  headers: IncomingHttpHeaders;
  body: Json;
}
/** An answer: a status and a body (JSON unless a string is given, which is sent as it is). */
export interface CraftedAnswer {
  status?: number;
  body: Json;
}

/** A gateway on 127.0.0.1 that answers every request with what `answer` returns. */
export async function craftedGateway(answer: (request: CraftedRequest) => CraftedAnswer): Promise<{ url: string; requests: CraftedRequest[]; close(): Promise<void> }> {
  const requests: CraftedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = { headers: req.headers, body: text === '' ? undefined : JSON.parse(text) };
      requests.push(request);
      const { status = 200, body } = answer(request);
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A check answer with one item per request item, made by `each` from the item asked and its index. `envelope` holds
 * the answer's other fields (its `requestId`; `{}` for none).
 */
export function answerEach(each: (asked: Json, index: number) => Json, envelope: Json = { requestId: 'gw-request-1' }): (request: CraftedRequest) => CraftedAnswer {
  return ({ body }) => ({
    body: { ...envelope, items: (body.items as Json[]).map((asked, i) => ({ ...each(asked, i), itemId: asked.itemId })) },
  });
}
