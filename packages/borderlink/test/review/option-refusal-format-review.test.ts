// Review of issue 10's "one way to refuse options": the option refusals that still go their own way.
import { ConfigError, parseMrz } from 'borderlink';
import { createGatewayHandler } from 'borderlink/testing';
import { describe, expect, it } from 'vitest';

const SPECIMEN = 'L898902C3';

describe('option refusals outside internal/options.ts', () => {
  it('parseMrz does not repeat an unknown option key that is data', () => {
    let message = '';
    try {
      parseMrz('P<UTO', { [SPECIMEN]: true } as never);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(SPECIMEN);
  });

  it('parseMrz refuses an unknown option with a ConfigError, like every other option', () => {
    expect(() => parseMrz('P<UTO', { repiar: true } as never)).toThrow(ConfigError);
  });

  it('the mock gateway refuses an unknown option in the one message format', () => {
    expect(() => createGatewayHandler({ nope: 1 } as never)).toThrow('createGatewayHandler: option `nope` is not known');
  });
});
