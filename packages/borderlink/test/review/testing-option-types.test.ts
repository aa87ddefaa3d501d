// borderlink/testing refuses options of the wrong type with a ConfigError, as its docs say, never a TypeError.
import { describe, expect, it } from 'vitest';
import { ConfigError } from 'borderlink';
import { createGatewayHandler, createMockGateway, mockTransport, parseFaultSpec } from 'borderlink/testing';

describe('testing helpers on options of the wrong type', () => {
  it.each([null, 5, 'x'])('mockTransport and createGatewayHandler refuse options %j', (options) => {
    expect(() => mockTransport(options as never)).toThrow(ConfigError);
    expect(() => createGatewayHandler(options as never)).toThrow(ConfigError);
  });

  it.each([null, 5, 'x'])('createMockGateway refuses options %j', async (options) => {
    await expect(createMockGateway(options as never)).rejects.toBeInstanceOf(ConfigError);
  });

  it.each([{ random: null }, { random: 5 }, { sequence: 5 }, { paths: 'x' }, { paths: [5] }])('refuses the fault plan %j', (faults) => {
    expect(() => mockTransport({ faults: faults as never })).toThrow(ConfigError);
  });

  it.each([null, 5])('parseFaultSpec refuses %j', (spec) => {
    expect(() => parseFaultSpec(spec as never)).toThrow(ConfigError);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty:SLTD'])('parseFaultSpec refuses %s as an unknown fault', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(/is not a known fault/);
  });
});
