// Every refused option reads the same way: the scope, the option's path, the problem; never the value given.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from 'borderlink';
import { optionError, parseOptions } from '../../src/internal/options';

const schema = z.strictObject({
  timeoutMs: z.number().positive().optional(),
  retry: z.strictObject({ jitter: z.enum(['full', 'none']).optional() }).optional(),
  onProgress: z.custom<() => void>((v) => typeof v === 'function', { error: 'must be a function' }).optional(),
});

function refusal(value: unknown): ConfigError {
  try {
    parseOptions('createClient', schema, value);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('not refused');
}

describe('parseOptions', () => {
  it('names an unknown option by its path, before what its neighbours got wrong', () => {
    const error = refusal({ timeoutMs: 'slow', retry: { backoff: 2 } });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('createClient: option `retry.backoff` is not known');
  });

  it('words a wrong value from the schema, never from the value', () => {
    expect(refusal({ timeoutMs: 'L898902C3' }).message).toBe('createClient: option `timeoutMs` must be a finite number');
    expect(refusal({ retry: { jitter: 'L898902C3' } }).message).toBe("createClient: option `retry.jitter` must be 'full' or 'none'");
    expect(refusal({ onProgress: 'L898902C3' }).message).toBe('createClient: option `onProgress` must be a function');
    expect(refusal({ timeoutMs: -1 }).message).toBe('createClient: option `timeoutMs` must be above 0');
  });

  it('does not repeat a key that is not shaped like an option name', () => {
    const error = refusal({ L898902C3: { seat: '12A' } });
    expect(error.message).toBe('createClient: option `(a key that is not an option name)` is not known');
    expect(JSON.stringify(error.toJSON())).not.toContain('L898902C3');
  });

  it('refuses options that are not an object, in the same format', () => {
    expect(refusal(null).message).toBe('createClient: the options must be an object');
    expect(refusal([1]).message).toBe('createClient: the options must be an object');
  });

  it('gives the parsed options when they are valid', () => {
    expect(parseOptions('createClient', schema, { timeoutMs: 5 })).toEqual({ timeoutMs: 5 });
  });

  it('writes cross-option refusals in the same format', () => {
    expect(optionError('checkMany', 'batchSize', 'must be an integer from 1 to 1000').message).toBe(
      'checkMany: option `batchSize` must be an integer from 1 to 1000',
    );
  });
});
