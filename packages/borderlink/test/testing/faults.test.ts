import { describe, expect, it } from 'vitest';
import { BorderlinkError, ConfigError } from 'borderlink';
import { checkResponseSchema } from '../../src/protocol/wire';
import { RANDOM_FAULT_MIX, createGatewayHandler, parseFaultSpec, type Fault, type FaultPlan } from 'borderlink/testing';
import { checkBody, context, parseCheck, passport, post } from './helpers';

describe('parseFaultSpec', () => {
  it('reads the documented example', () => {
    expect(parseFaultSpec('503,reset,delay:2000,429:retry-after=1,unavailable:TDAWN')).toEqual([
      { type: 'status', status: 503 },
      { type: 'reset' },
      { type: 'delay', ms: 2000 },
      { type: 'status', status: 429, retryAfter: 1 },
      { type: 'unavailable', sources: ['TDAWN'] },
    ]);
  });

  it('reads every fault kind', () => {
    expect(
      parseFaultSpec(
        'ok, lost-response, malformed, truncated, off-schema, missing-outcome, missing-outcome:SLTD+smv, timeout:NOMINAL, error, not-authorised:SLTD, 503:retry-after-ms=250:retry-after=2',
      ),
    ).toEqual([
      { type: 'none' },
      { type: 'lost-response' },
      { type: 'malformed' },
      { type: 'truncated' },
      { type: 'off-schema' },
      { type: 'missing-outcome' },
      { type: 'missing-outcome', sources: ['SLTD', 'SMV'] },
      { type: 'outcome', status: 'TIMEOUT', sources: ['NOMINAL'] },
      { type: 'outcome', status: 'ERROR' },
      { type: 'outcome', status: 'NOT_AUTHORISED', sources: ['SLTD'] },
      { type: 'status', status: 503, retryAfterMs: 250, retryAfter: 2 },
    ]);
  });

  it('reads random faults, a seed and paths', () => {
    expect(parseFaultSpec('random:0.3')).toEqual({ sequence: [], random: { rate: 0.3 } });
    expect(parseFaultSpec('503,random:1:seed=7,paths:/v1/checks+/v1/reports/*')).toEqual({
      sequence: [{ type: 'status', status: 503 }],
      random: { rate: 1, seed: 7 },
      paths: ['/v1/checks', '/v1/reports/*'],
    });
    expect(parseFaultSpec('')).toEqual([]);
  });

  it.each(['teapot', 'delay', 'delay:soon', 'random:2', 'random', 'unavailable:XYZ', 'reset:1', '503:retry-after=soon', '999', 'random:0.1:speed=2', 'paths:'])(
    'refuses %j with a ConfigError naming the item',
    (spec) => {
      expect(() => parseFaultSpec(spec)).toThrow(ConfigError);
      expect(() => parseFaultSpec(spec)).toThrow(/item 1/);
    },
  );
});

describe('fault plans', () => {
  it('applies an array to consecutive requests in order, then no more faults', async () => {
    const handle = createGatewayHandler({ faults: [{ type: 'status', status: 503 }, { type: 'none' }, { type: 'status', status: 429 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(handle, '/v1/checks', checkBody([passport]))).status);
    expect(statuses).toEqual([503, 200, 429, 200, 200]);
  });

  it('sends retry-after and retry-after-ms as given and an error body with a code', async () => {
    const handle = createGatewayHandler({
      faults: [
        { type: 'status', status: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT', retryAfterMs: 1500 },
        { type: 'status', status: 503, retryAfter: 1 },
      ],
    });
    const limited = await post(handle, '/v1/checks', checkBody([passport]));
    expect(limited.headers).toMatchObject({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT', 'retry-after-ms': '1500' });
    expect(JSON.parse(limited.body).error.code).toBe('RATE_LIMITED');
    const unavailable = await post(handle, '/v1/checks', checkBody([passport]));
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(JSON.parse(unavailable.body).error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('does not process a write that a status fault answered', async () => {
    const handle = createGatewayHandler({ faults: [{ type: 'status', status: 503 }] });
    const body = { context, report: { documentNumber: 'A1', issuingState: 'UTO', documentType: 'PASSPORT', status: 'LOST' } };
    expect((await post(handle, '/v1/reports/documents', body, { 'idempotency-key': 'key-k-0001' })).status).toBe(503);
    expect(handle.reports).toHaveLength(0);
    expect(handle.requests).toHaveLength(1);
  });

  it('makes chosen sources UNAVAILABLE, TIMEOUT or missing, and leaves their hits out', async () => {
    const handle = createGatewayHandler({
      faults: [
        { type: 'unavailable', sources: ['SLTD'] },
        { type: 'outcome', status: 'TIMEOUT' },
        { type: 'missing-outcome', sources: ['TDAWN'] },
        { type: 'outcome', status: 'NOT_AUTHORISED', sources: ['SMV'] },
      ],
    });
    const ask = async () => parseCheck(await post(handle, '/v1/checks', checkBody([passport]))).items[0]!;
    const unavailable = await ask();
    expect(unavailable.outcomes.map((o) => [o.source, o.status])).toEqual([['SLTD', 'UNAVAILABLE'], ['TDAWN', 'NO_HIT']]);
    expect(unavailable.hits).toEqual([]);
    expect((await ask()).outcomes.map((o) => o.status)).toEqual(['TIMEOUT', 'TIMEOUT']);
    const missing = await ask();
    expect(missing.outcomes.map((o) => o.source)).toEqual(['SLTD']);
    expect(missing.hits).toHaveLength(1);
    expect((await ask()).outcomes.map((o) => o.status)).toEqual(['HIT', 'NO_HIT']);
  });

  it('keeps every 200 check answer schema-valid under every fault except off-schema, malformed and truncated', async () => {
    const faults: Fault[] = [
      { type: 'none' },
      { type: 'delay', ms: 1 },
      { type: 'unavailable' },
      { type: 'unavailable', sources: ['NOMINAL'] },
      { type: 'missing-outcome' },
      { type: 'missing-outcome', sources: ['SLTD', 'SMV'] },
      { type: 'outcome', status: 'TIMEOUT' },
      { type: 'outcome', status: 'ERROR', sources: ['TDAWN'] },
      { type: 'outcome', status: 'NOT_AUTHORISED', sources: ['SMV'] },
      { type: 'lost-response' },
    ];
    const handle = createGatewayHandler({ faults });
    const subjects = [passport, { kind: 'person', surname: 'STORGARD', givenNames: ['NILS'], dateOfBirth: '1968-03-22' }, { kind: 'vehicle', vin: 'WVWZZZ1JZXW000001' }];
    for (let i = 0; i < faults.length; i++) {
      const res = await post(handle, '/v1/checks', checkBody(subjects, [passport]));
      expect(checkResponseSchema.safeParse(JSON.parse(res.body)).success).toBe(true);
    }
  });

  it('breaks the response schema deep inside with off-schema', async () => {
    const handle = createGatewayHandler({ faults: [{ type: 'off-schema' }, { type: 'off-schema' }] });
    const check = await post(handle, '/v1/checks', checkBody([passport]));
    expect(check.status).toBe(200);
    const parsed = checkResponseSchema.safeParse(JSON.parse(check.body));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['items', 0, 'outcomes', 0, 'status']);
  });

  it('answers malformed and truncated with a 200 that is not JSON', async () => {
    const handle = createGatewayHandler({ faults: [{ type: 'malformed' }, { type: 'truncated' }] });
    for (let i = 0; i < 2; i++) {
      const res = await post(handle, '/v1/checks', checkBody([passport]));
      expect(res.status).toBe(200);
      expect(() => JSON.parse(res.body)).toThrow(SyntaxError);
    }
  });

  it('applies faults only to requests to the plan’s paths', async () => {
    const handle = createGatewayHandler({ faults: { sequence: [{ type: 'status', status: 500 }], paths: ['/v1/reports/*'] } });
    expect((await post(handle, '/v1/checks', checkBody([passport]))).status).toBe(200);
    const res = await post(handle, '/v1/reports/documents', {}, { 'idempotency-key': 'key-k-0001' });
    expect(res.status).toBe(500);
  });

  it('draws seeded random faults reproducibly', async () => {
    const plan: FaultPlan = { random: { rate: 0.5, seed: 42, faults: [{ type: 'status', status: 503 }, { type: 'status', status: 500 }] } };
    const run = async () => {
      const handle = createGatewayHandler({ faults: plan });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await post(handle, '/v1/checks', checkBody([passport]))).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 503]));
    const other = createGatewayHandler({ faults: { random: { ...plan.random!, seed: 43 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await post(other, '/v1/checks', checkBody([passport]))).status);
    expect(statuses).not.toEqual(first);
  });

  it('starts the plan afresh on setFaults, and stops with setFaults()', async () => {
    const handle = createGatewayHandler({ faults: [{ type: 'status', status: 503 }] });
    expect((await post(handle, '/v1/checks', checkBody([passport]))).status).toBe(503);
    handle.setFaults([{ type: 'status', status: 502 }]);
    expect((await post(handle, '/v1/checks', checkBody([passport]))).status).toBe(502);
    handle.setFaults({ random: { rate: 1 } });
    handle.setFaults();
    expect((await post(handle, '/v1/checks', checkBody([passport]))).status).toBe(200);
  });

  it('draws the documented mix for random:<rate>', () => {
    expect(RANDOM_FAULT_MIX.map((f) => f.type)).toEqual([
      'status', 'status', 'status', 'reset', 'lost-response', 'delay', 'truncated', 'malformed', 'unavailable', 'outcome',
    ]);
  });

  it.each([
    [[{ type: 'explode' }]],
    [[{ type: 'status', status: 42 }]],
    [[{ type: 'delay', ms: -1 }]],
    [[{ type: 'unavailable', sources: ['XYZ'] }]],
    [{ random: { rate: 2 } }],
    [{ sequence: [], after: 3 }],
  ])('refuses a bad plan %j with a ConfigError', (plan) => {
    expect(() => createGatewayHandler({ faults: plan as FaultPlan })).toThrow(ConfigError);
  });

  it('refuses an unknown option', () => {
    const err = (() => {
      try {
        createGatewayHandler({ latency: 5 } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BorderlinkError);
    expect((err as Error).message).toMatch(/option `latency` is not known/);
  });
});
