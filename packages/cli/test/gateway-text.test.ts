// Gateway text is untrusted input: an error code the gateway chose never reaches a message, toJSON() or the command's
// error line unchecked, and the request id a gateway puts in its body never stands in for the client's own.
import { afterEach, describe, expect, it } from 'vitest';
import { errorLine } from '../src/command';
import { errorFromResponse } from '../../borderlink/src/protocol/errors';
import {
  BorderlinkError,
  GatewayError,
  createClient,
  httpTransport,
  type AuditEvent,
  type BatchOutcome,
  type BorderlinkClient,
} from 'borderlink';
import { answerEach, context, craftedGateway, hits, item, passport, type CraftedAnswer, type CraftedRequest } from '../../borderlink/test/protocol/answers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function clientFor(answer: (request: CraftedRequest) => CraftedAnswer, extra: { onAudit?: (e: AuditEvent) => void; logger?: never } = {}) {
  const gateway = await craftedGateway(answer);
  const lines: string[] = [];
  const logger = { error: (...a: unknown[]) => lines.push(JSON.stringify(a)), warn: () => {}, info: (...a: unknown[]) => lines.push(JSON.stringify(a)), debug: () => {} };
  const client: BorderlinkClient = createClient({
    transport: httpTransport({ baseUrl: gateway.url }),
    context,
    retry: false,
    breaker: false,
    logLevel: 'info',
    logger,
    ...extra,
  });
  open.push(client, gateway);
  return { client, gateway, lines };
}

const hostileCodes: [string, string, string][] = [
  // [name, code, what gatewayCode keeps]
  ['a document number', 'L898902C3', 'L898902C3'],
  ['terminal escape codes', '\u001b[2J', 'UNKNOWN'],
  ['a 10 kB string', 'A'.repeat(10_000), 'UNKNOWN'],
  ['a name with a space', 'ERIKSSON ANNA', 'UNKNOWN'],
];

describe('a gateway error code', () => {
  for (const [name, code, kept] of hostileCodes) {
    for (const status of [400, 403, 404, 429, 500, 503, 418]) {
      it(`holding ${name} never appears in the message or toJSON of a ${status}`, () => {
        const err = errorFromResponse({ status, headers: {}, body: JSON.stringify({ error: { code, message: 'x' } }) }, true);
        expect(err.message).not.toContain(code);
        expect(JSON.stringify(err)).not.toContain(code);
        expect(JSON.stringify(err.toJSON())).not.toContain(code);
        expect(errorLine(err)).not.toContain(code);
        expect(err.gatewayCode).toBe(kept);
        // Loggers that copy an error's own enumerable properties must not find it either.
        expect(Object.keys(err)).not.toContain('gatewayCode');
      });
    }
  }

  it('keeps a protocol v1 code in the message and on gatewayCode', () => {
    const err = errorFromResponse({ status: 503, headers: {}, body: JSON.stringify({ error: { code: 'UPSTREAM_UNAVAILABLE', message: 'x' } }) }, true);
    expect(err.message).toContain('(UPSTREAM_UNAVAILABLE)');
    expect(err.gatewayCode).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('is UNKNOWN when it is not a string, and absent when the body has no code', () => {
    const of = (body: unknown) => errorFromResponse({ status: 503, headers: {}, body: JSON.stringify(body) }, true).gatewayCode;
    expect(of({ error: { code: 503, message: 'x' } })).toBe('UNKNOWN');
    expect(of({ error: { message: 'x' } })).toBeUndefined();
    expect(errorFromResponse({ status: 503, headers: {}, body: '<html>' }, true).gatewayCode).toBeUndefined();
  });

  it('holding a document number reaches neither the error, its log line, nor the audit event of a check', async () => {
    const events: AuditEvent[] = [];
    const { client, lines } = await clientFor(() => ({ status: 503, body: { error: { code: 'L898902C3X', message: 'L898902C3X' } } }), {
      onAudit: (e) => events.push(e),
    });
    const err = (await client.checkDocument(passport).catch((e: unknown) => e)) as BorderlinkError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.gatewayCode).toBe('L898902C3X');
    const text = [err.message, JSON.stringify(err), errorLine(err), ...lines, JSON.stringify(events)].join('\n');
    expect(text).not.toContain('L898902C3X');
  });
});

describe('the gateway’s own request id', () => {
  it('never reaches result.requestId, the log or the audit event: those carry the x-request-id the client sent', async () => {
    const events: AuditEvent[] = [];
    const planted = 'GW-L898902C3';
    const { client, gateway, lines } = await clientFor(answerEach((asked) => item(asked.itemId, asked.sources, [hits.document()]), { requestId: planted }), {
      onAudit: (e) => events.push(e),
    });
    const result = await client.checkDocument(passport);
    const sent = gateway.requests[0]!.headers['x-request-id'];
    expect(result.requestId).toBe(sent);
    expect(result.gatewayRequestId).toBe(planted);
    expect(events.map((e) => e.requestId)).toEqual([sent]);
    expect(lines.join('\n')).not.toContain(planted);
    expect(JSON.stringify(events)).not.toContain(planted);
  });

  it('never reaches a batch row’s requestId or its audit event', async () => {
    const events: AuditEvent[] = [];
    const planted = 'GW-BATCH-0001';
    const { client, gateway } = await clientFor(answerEach((asked) => item(asked.itemId, asked.sources), { requestId: planted }), { onAudit: (e) => events.push(e) });
    const rows: BatchOutcome[] = [];
    const subjects = [{ kind: 'document' as const, ...passport }];
    for await (const row of client.checkMany([{ id: 'a', subjects }, { id: 'b', subjects }])) rows.push(row);
    const sent = gateway.requests[0]!.headers['x-request-id'];
    expect(rows.map((r) => r.result?.requestId)).toEqual([sent, sent]);
    expect(rows.map((r) => r.result?.gatewayRequestId)).toEqual([planted, planted]);
    expect(events.map((e) => e.requestId)).toEqual([sent, sent]);
  });

  const unfit: [string, unknown][] = [
    ['holds escape codes', '\u001b[31mred'],
    ['holds a space', 'req 1'],
    ['is longer than 128 characters', 'r'.repeat(129)],
    ['is empty', ''],
    ['is a number', 1234],
    ['is missing', undefined],
  ];
  for (const [what, requestId] of unfit) {
    it(`that ${what} is dropped with a warning, and the answer is still read`, async () => {
      const { client } = await clientFor(answerEach((asked) => item(asked.itemId, asked.sources, [hits.document()]), requestId === undefined ? {} : { requestId }));
      const result = await client.checkDocument(passport);
      expect(result.verdict).toBe('HIT');
      expect(result).not.toHaveProperty('gatewayRequestId');
      expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'requestId' }]);
    });
  }
});
