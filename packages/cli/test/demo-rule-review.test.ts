// The command never screens real travellers against demo data by accident: a configuration that went wrong in a way
// the current rule does not see.
import { describe, expect, it } from 'vitest';
import { runCli } from './run';

const clear = ['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT'];

describe.concurrent('borderlink: demo data only when meant', () => {
  it('refuses the embedded demo gateway when a borderlink_ variable is set in another case (exit 4, not 0)', async () => {
    // Names are case-sensitive on Linux and not on Windows: a deploy script that wrote the name in lower case meant a
    // gateway all the same.
    const result = await runCli(clear, { env: { borderlink_gateway_url: 'https://gateway.example.invalid' } });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain('example.invalid');
  });
});
