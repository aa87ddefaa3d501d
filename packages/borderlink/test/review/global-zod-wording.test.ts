// zod's settings are global: an application that sets `z.config({ customError })` for its own schemas (or another
// locale) must not word borderlink's errors, and a customError that repeats the input must not put a caller's data
// into them. Our schemas word their issues themselves; one that does not gets zod's English, which each of our parses
// passes (a schema's own message wins over both).
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput } from '../../src/queries/validate';

const PLANTED = 'PLANTEDX77';

afterEach(() => {
  z.config({ customError: undefined });
});

function refusal(run: () => unknown): { message: string; issues: unknown } {
  try {
    run();
  } catch (err) {
    return { message: (err as Error).message, issues: (err as { issues?: unknown }).issues };
  }
  throw new Error('expected a refusal');
}

describe('an application that words zod its own way', () => {
  it('words no issue of an input schema, not even one the schema left unworded', () => {
    // Schemas that word nothing themselves: the class of issue a future field could raise.
    const schema = z.strictObject({ a: z.string(), b: z.string().max(3), c: z.enum(['X', 'Y']), d: z.number().int() });
    const input = { a: 5, b: `${PLANTED}-long`, c: PLANTED, d: 1.5 };
    const plain = refusal(() => parseInput(schema, input));
    z.config({ customError: (issue) => `echo ${String((issue as { input?: unknown }).input)}` });
    const configured = refusal(() => parseInput(schema, input));
    expect(JSON.stringify(configured)).not.toContain(PLANTED);
    expect(JSON.stringify(configured)).not.toContain('echo');
    expect(configured).toEqual(plain);
  });

  it('keeps a schema’s own words over zod’s English', () => {
    z.config({ customError: () => 'the application’s own words' });
    expect(refusal(() => parseInput(z.object({ a: z.string({ error: 'must be a name' }) }), { a: 1 })).issues).toEqual([{ path: 'a', message: 'must be a name' }]);
  });
});
