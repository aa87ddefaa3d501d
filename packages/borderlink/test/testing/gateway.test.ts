import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { checkResponseSchema } from '../../src/protocol/wire';
import { createMockGateway, parseFaultSpec, type FaultPlan, type MockGateway } from 'borderlink/testing';
import { checkBody, context, parseCheck, passport } from './helpers';

const open: MockGateway[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});

async function gateway(options: Parameters<typeof createMockGateway>[0] = {}) {
  const g = await createMockGateway(options);
  open.push(g);
  return g;
}

function postTo(g: MockGateway, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(g.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

const check = (g: MockGateway, headers?: Record<string, string>) => postTo(g, '/v1/checks', checkBody([passport]), headers);
const reportBody = { context, report: { documentNumber: 'UA7654321', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createMockGateway', () => {
  it('answers a check over HTTP on a free port of 127.0.0.1', async () => {
    const g = await gateway();
    expect(g.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await check(g, { 'x-request-id': 'r-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('r-1');
    const answer = checkResponseSchema.parse(await res.json());
    expect(answer.items[0]!.outcomes[0]).toMatchObject({ source: 'SLTD', status: 'HIT' });
    expect(g.requests).toMatchObject([{ method: 'POST', path: '/v1/checks', headers: { 'x-request-id': 'r-1' }, body: checkBody([passport]) }]);
  });

  it('closes promptly even with an idle keep-alive connection open', async () => {
    const g = await createMockGateway();
    await (await check(g)).text();
    const started = Date.now();
    await g.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await g.close();
  });

  it('requires the bearer token when given one', async () => {
    const g = await gateway({ token: 't0ken' });
    expect((await check(g)).status).toBe(401);
    expect((await check(g, { authorization: 'Bearer t0ken' })).status).toBe(200);
  });

  it('adds latencyMs to every request', async () => {
    const g = await gateway({ latencyMs: 100 });
    const started = Date.now();
    await (await check(g)).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe('faults over a real socket', () => {
  it('status: answers the status with retry-after and an error body', async () => {
    const g = await gateway({ faults: parseFaultSpec('429:retry-after=1,503:retry-after-ms=250') });
    const limited = await check(g);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const unavailable = await check(g);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after-ms')).toBe('250');
    expect((await check(g)).status).toBe(200);
  });

  it('reset: destroys the connection before answering, and the next request is answered', async () => {
    const g = await gateway({ faults: [{ type: 'reset' }] });
    await expect(check(g)).rejects.toThrow(TypeError);
    expect((await check(g)).status).toBe(200);
  });

  it('delay: answers normally after the delay', async () => {
    const g = await gateway({ faults: [{ type: 'delay', ms: 200 }] });
    const started = Date.now();
    const res = await check(g);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    parseCheck({ status: res.status, body: await res.text() });
  });

  it('delay: a client that gives up during the delay leaves the write unprocessed', async () => {
    const g = await gateway({ faults: [{ type: 'delay', ms: 300 }] });
    await expect(postTo(g, '/v1/reports/documents', reportBody, { 'idempotency-key': 'key-k-0001' }, AbortSignal.timeout(50))).rejects.toThrow();
    await sleep(400);
    expect(g.reports).toHaveLength(0);
  });

  it('malformed: a 200 whose body is not JSON', async () => {
    const g = await gateway({ faults: [{ type: 'malformed' }] });
    const res = await check(g);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('truncated: a 200 whose body is cut off mid-JSON, then the connection closes', async () => {
    const g = await gateway({ faults: [{ type: 'truncated' }] });
    const res = await check(g);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(10);
    await expect(res.text()).rejects.toThrow();
    expect((await check(g)).status).toBe(200);
  });

  it('off-schema: a 200 of JSON that the response schema refuses', async () => {
    const g = await gateway({ faults: [{ type: 'off-schema' }] });
    const res = await check(g);
    expect(res.status).toBe(200);
    expect(checkResponseSchema.safeParse(await res.json()).success).toBe(false);
  });

  it.each<[string, FaultPlan, Record<string, string>]>([
    ['unavailable', [{ type: 'unavailable', sources: ['TDAWN'] }], { SLTD: 'HIT', TDAWN: 'UNAVAILABLE' }],
    ['missing-outcome', [{ type: 'missing-outcome', sources: ['TDAWN'] }], { SLTD: 'HIT' }],
    ['outcome', [{ type: 'outcome', status: 'ERROR', sources: ['SLTD'] }], { SLTD: 'ERROR', TDAWN: 'NO_HIT' }],
  ])('%s: a schema-valid answer with the sources’ outcomes changed', async (_name, faults, outcomes) => {
    const g = await gateway({ faults });
    const res = await check(g);
    const answer = parseCheck({ status: res.status, body: await res.text() });
    expect(Object.fromEntries(answer.items[0]!.outcomes.map((o) => [o.source, o.status]))).toEqual(outcomes);
  });

  it('lost-response: the report is stored, the answer lost; the retry with the same key stores nothing more', async () => {
    const g = await gateway({ faults: { sequence: [{ type: 'lost-response' }], paths: ['/v1/reports/documents'] } });
    const headers = { 'idempotency-key': 'report-1' };
    await expect(postTo(g, '/v1/reports/documents', reportBody, headers)).rejects.toThrow(TypeError);
    expect(g.reports).toHaveLength(1);
    const retry = await postTo(g, '/v1/reports/documents', reportBody, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ recordId: g.reports[0]!.recordId, createdAt: g.reports[0]!.createdAt });
    expect(g.reports).toHaveLength(1);
    const answer = parseCheck(await (async () => {
      const res = await postTo(g, '/v1/checks', checkBody([{ kind: 'document', ...reportBody.report }]));
      return { status: res.status, body: await res.text() };
    })());
    expect(answer.items[0]!.hits.map((h) => h.recordId)).toEqual([g.reports[0]!.recordId]);
  });

  it('lost-response on a withdrawal: withdrawn once, the retry replays the answer', async () => {
    const g = await gateway();
    const created = (await (await postTo(g, '/v1/reports/documents', reportBody, { 'idempotency-key': 'key-r-0001' })).json()) as { recordId: string };
    g.setFaults([{ type: 'lost-response' }]);
    const path = `/v1/reports/documents/${created.recordId}/withdrawal`;
    await expect(postTo(g, path, { context, reason: 'RECOVERED' }, { 'idempotency-key': 'key-w-0001' })).rejects.toThrow();
    expect(g.reports[0]!.withdrawnAt).toBeDefined();
    const retry = await postTo(g, path, { context, reason: 'RECOVERED' }, { 'idempotency-key': 'key-w-0001' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ recordId: created.recordId, withdrawnAt: g.reports[0]!.withdrawnAt });
  });

  it('a seeded random plan gives the same statuses on every run', async () => {
    const run = async () => {
      const g = await gateway({ faults: { random: { rate: 0.5, seed: 3, faults: [{ type: 'status', status: 503 }, { type: 'reset' }] } } });
      const seen: string[] = [];
      for (let i = 0; i < 20; i++) {
        seen.push(await check(g).then((r) => String(r.status), () => 'reset'));
      }
      return seen;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set(['200', '503', 'reset']));
    expect(await run()).toEqual(first);
  });
});

describe('createMockGateway over TLS', () => {
  function certificates() {
    const dir = mkdtempSync(join(tmpdir(), 'borderlink-tls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    for (const name of ['server', 'client']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', 'san.ext');
    }
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return { ca: read('ca.crt'), server: { key: read('server.key'), cert: read('server.crt') }, client: { key: read('client.key'), cert: read('client.crt') } };
  }

  it('serves HTTPS and, with requestCert, only to clients with a certificate from the CA', async () => {
    const pem = certificates();
    const g = await gateway({ tls: { ...pem.server, ca: pem.ca, requestCert: true } });
    expect(g.url).toMatch(/^https:/);
    const send = (dispatcher: Agent) =>
      request(g.url + '/v1/checks', { method: 'POST', body: JSON.stringify(checkBody([passport])), dispatcher });
    const withCert = new Agent({ connect: { ca: pem.ca, ...pem.client } });
    const withoutCert = new Agent({ connect: { ca: pem.ca } });
    try {
      const res = await send(withCert);
      expect(res.statusCode).toBe(200);
      parseCheck({ status: res.statusCode, body: await res.body.text() });
      await expect(send(withoutCert).then((r) => r.body.text())).rejects.toThrow();
    } finally {
      await Promise.all([withCert.close(), withoutCert.close()]);
    }
  });
});
