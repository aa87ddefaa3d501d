// The headline of a HIT says what the guides say of a hit: a lead until the country that owns the record confirms
// it, not an order to act (docs/second-line.md). docs/cli.md shows the headline the command prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { root, runCli } from './run';

describe('the headline of a HIT', () => {
  it('says the hit is a lead until its owner country confirms it', async () => {
    const { code, stdout } = await runCli(['check', 'vehicle', '--vin', 'WVWZZZ1JZXW000001']);
    expect(code).toBe(1);
    const headline = stdout.split('\n')[0]!;
    expect(headline).toMatch(/^DEMO │ HIT — .*\blead\b.*\bowner country confirms\b/);
    expect(headline).not.toMatch(/follow the action/);
    const guide = readFileSync(`${root}packages/borderlink/docs/cli.md`, 'utf8');
    const shown = [...new Set([...guide.matchAll(/^(?:DEMO │ )?(HIT — .*)$/gm)].map((m) => m[1]))];
    expect(shown).toEqual([headline.replace(/^DEMO │ /, '')]);
  });
});
