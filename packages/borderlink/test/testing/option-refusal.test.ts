// The mock gateway's factories refuse options the way the client does: a ConfigError in the one format, naming the
// option by its path when the key is shaped like an option name, never repeating a value.
import { describe, expect, it } from 'vitest';
import { BorderlinkError, ConfigError } from 'borderlink';
import {
  createGatewayHandler,
  createMockGateway,
  demoDataset,
  mockTransport,
  parseFaultSpec,
  type Dataset,
  type FaultPlan,
  type GatewayOptions,
  type MockGatewayOptions,
  type MockTransportOptions,
  type SecondLineOptions,
} from 'borderlink/testing';
import { makeCertificates } from '../helpers/certs';

/** A value no message may repeat. */
const PLANTED = 'L898902C3-planted';

async function refusal(make: () => unknown): Promise<ConfigError> {
  try {
    const made = await make();
    await (made as { close?: () => Promise<void> }).close?.();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(JSON.stringify((err as BorderlinkError).toJSON())).not.toContain(PLANTED);
    return err as ConfigError;
  }
  throw new Error('not refused');
}

const dataset: Dataset = { documents: [], linkedDocuments: [], persons: [], vehicles: [], dataAsOf: '2025-01-01T00:00:00Z' };
const plan: FaultPlan = { sequence: [{ type: 'status', status: 503, retryAfter: 1, retryAfterMs: 10 }], random: { rate: 0, seed: 7, faults: [{ type: 'reset' }] }, paths: ['/v1/checks'] };

const factories = [
  ['createGatewayHandler', (options: unknown) => createGatewayHandler(options as GatewayOptions)],
  ['mockTransport', (options: unknown) => mockTransport(options as MockTransportOptions)],
  ['createMockGateway', (options: unknown) => createMockGateway(options as MockGatewayOptions)],
] as const;

describe.each(factories)('%s', (scope, make) => {
  it('refuses an unknown option by name', async () => {
    expect((await refusal(() => make({ latency: PLANTED }))).message).toBe(`${scope}: option \`latency\` is not known`);
  });

  it('refuses an unknown key without naming it when it is not shaped like an option name', async () => {
    for (const key of [PLANTED, 'L898902C3', 'two words']) {
      const error = await refusal(() => make({ [key]: 1 }));
      expect(error.message).toBe(`${scope}: option \`(a key that is not an option name)\` is not known`);
      expect(error.message).not.toContain(key);
    }
  });

  it('refuses a wrong-typed option by name without repeating its value', async () => {
    expect((await refusal(() => make({ latencyMs: PLANTED }))).message).toBe(`${scope}: option \`latencyMs\` must be a number of milliseconds, 0 or more`);
    expect((await refusal(() => make({ token: { secret: PLANTED } }))).message).toBe(`${scope}: option \`token\` must be a string`);
    expect((await refusal(() => make({ dataset: { ...dataset, persons: PLANTED } }))).message).toBe(
      `${scope}: option \`dataset.persons\` must be an array of records`,
    );
  });

  it("refuses a fault plan's wrong field by its path without repeating its value", async () => {
    expect((await refusal(() => make({ faults: [{ type: 'delay', ms: PLANTED }] }))).message).toBe(
      `${scope}: option \`faults.0.ms\` must be a number of milliseconds, 0 or more`,
    );
    expect((await refusal(() => make({ faults: { random: { rate: 0.5, seed: PLANTED } } }))).message).toBe(
      `${scope}: option \`faults.random.seed\` must be an integer`,
    );
    expect((await refusal(() => make({ faults: [{ type: 'reset', [PLANTED]: 1 }] }))).message).toBe(
      `${scope}: option \`faults.0.(a key that is not an option name)\` is not known`,
    );
  });

  it('refuses options that are not an object', async () => {
    expect((await refusal(() => make(PLANTED))).message).toBe(`${scope}: the options must be an object`);
  });
});

describe('every documented option is accepted', () => {
  const secondLine: Required<SecondLineOptions> = {
    recordPurposes: ['SECOND_LINE'],
    confirmation: { answer: 'NOT_CONFIRMED', afterMs: 1, instructions: 'Release', ownerReference: 'REF-1' },
    deadlinesMs: { URGENT: 1000, ROUTINE: 2000 },
    retryAfterSeconds: 0,
    now: () => 0,
  };

  it('createGatewayHandler', () => {
    const options: Required<GatewayOptions> = {
      dataset,
      token: 'secret',
      faults: plan,
      latencyMs: 0,
      issuerOf: () => 'UTO',
      maxRecordedRequests: 0,
      secondLine,
    };
    const handle = createGatewayHandler(options);
    expect(handle.dataset).toBe(dataset);
    handle.setFaults([{ type: 'outcome', status: 'TIMEOUT', sources: ['SLTD'] }, { type: 'unavailable' }, { type: 'none' }]);
    handle.setFaults();
  });

  it('mockTransport', async () => {
    const options: Required<MockTransportOptions> = { dataset: demoDataset, token: 'secret', faults: [{ type: 'missing-outcome', sources: ['SMV'] }], latencyMs: 1, secondLine };
    await mockTransport(options).close();
  });

  it('createMockGateway', async () => {
    const certs = makeCertificates();
    const options: Required<MockGatewayOptions> = {
      port: 0,
      host: '127.0.0.1',
      dataset,
      tls: { key: certs.serverKey, cert: Buffer.from(certs.serverCert), ca: certs.ca, requestCert: false },
      faults: [{ type: 'lost-response' }],
      latencyMs: 0,
      token: 'secret',
      secondLine,
    };
    const gateway = await createMockGateway(options);
    try {
      expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await gateway.close();
    }
  });
});

describe('setFaults', () => {
  it('refuses a wrong plan by the path of its field, without repeating the value', async () => {
    const handle = createGatewayHandler();
    expect((await refusal(() => handle.setFaults([{ type: 'outcome', status: PLANTED }] as never))).message).toBe(
      "setFaults: option `plan.0.status` must be TIMEOUT, ERROR or NOT_AUTHORISED",
    );
    expect((await refusal(() => handle.setFaults({ sequence: [], after: 3 } as never))).message).toBe('setFaults: option `plan.after` is not known');
  });
});

describe('parseFaultSpec', () => {
  it("holds a spec's faults to the plan's rules, naming the item", () => {
    expect(() => parseFaultSpec('503,999')).toThrow(ConfigError);
    expect(() => parseFaultSpec('503,999')).toThrow(new ConfigError('Invalid fault spec: item 2 (999): option `status` must be an HTTP status'));
    expect(() => createGatewayHandler({ faults: [{ type: 'status', status: 999 }] })).toThrow(
      new ConfigError('createGatewayHandler: option `faults.0.status` must be an HTTP status'),
    );
    expect(() => parseFaultSpec('unavailable:XYZ')).toThrow(/^Invalid fault spec: item 1 \(unavailable:XYZ\): option `sources` must name SLTD, TDAWN, NOMINAL or SMV$/);
    expect(() => parseFaultSpec('random:1.5')).toThrow(/^Invalid fault spec: item 1 \(random:1\.5\): option `rate` must be a number from 0 to 1$/);
  });
});
