// The command reads its environment by the library's one rule (readClientEnv): a variable set to nothing or to spaces
// is refused by name, never read as unset, even where a flag gives the value; and BORDERLINK_LOG turns on the SDK's
// log for the command, on stderr, without making the demo gateway think a gateway was configured.
import { describe, expect, it } from 'vitest';
import { CONTEXT, runCli, startGateway } from './run';

const clear = ['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT'];

describe.concurrent('borderlink: the environment by the library\'s rule', () => {
  it('refuses a blank BORDERLINK_TOKEN with a gateway URL (exit 4), naming it, where it used to send no token', async () => {
    const gateway = await startGateway(['--token', 'dev-token-1']);
    try {
      for (const blank of ['', '   ']) {
        const { code, stdout, stderr } = await runCli([...clear, '--gateway', gateway.url, ...CONTEXT], { env: { BORDERLINK_TOKEN: blank } });
        expect(code).toBe(4);
        expect(stdout).toBe('');
        expect(stderr).toContain('BORDERLINK_TOKEN is set but blank');
      }
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a padded or unknown value, naming the variable and never the value', async () => {
    const padded = await runCli(clear, { env: { BORDERLINK_GATEWAY_URL: 'http://127.0.0.1:9\n', BORDERLINK_AUTHORITY: 'A', BORDERLINK_OPERATOR: 'o', BORDERLINK_PURPOSE: 'TEST' } });
    expect(padded.code).toBe(4);
    expect(padded.stderr).toContain('BORDERLINK_GATEWAY_URL begins or ends with whitespace');
    expect(padded.stderr).not.toContain('127.0.0.1');
    const purpose = await runCli(clear, { env: { BORDERLINK_GATEWAY_URL: 'http://127.0.0.1:9', BORDERLINK_AUTHORITY: 'A', BORDERLINK_OPERATOR: 'o', BORDERLINK_PURPOSE: 'PLNTCURIOUS' } });
    expect(purpose.code).toBe(4);
    expect(purpose.stderr).toContain('BORDERLINK_PURPOSE must be one of BORDER_CHECK');
    expect(purpose.stderr).not.toContain('PLNT');
  });

  it('BORDERLINK_LOG=debug writes the SDK\'s debug lines to stderr, the answer alone to stdout, and the demo still answers', async () => {
    const { code, stdout, stderr } = await runCli([...clear, '--json'], { env: { BORDERLINK_LOG: 'debug' } });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ gateway: 'demo', verdict: 'NO_HIT' });
    const lines = stderr.trimEnd().split('\n');
    expect(lines.some((l) => l.startsWith('borderlink: request {') && l.includes('"path":"/v1/checks"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('borderlink: response {'))).toBe(true);
    expect(stderr).not.toContain('X1234567');
  });

  it('ignores an unknown BORDERLINK_LOG with a warning, and answers as without it', async () => {
    const { code, stdout, stderr } = await runCli([...clear, '--json'], { env: { BORDERLINK_LOG: 'PLNTloud' } });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'NO_HIT' });
    expect(stderr).toContain('BORDERLINK_LOG is not one of debug, info, warn, error, off: it is ignored');
    expect(stderr).not.toContain('PLNT');
    expect(stderr).not.toContain('borderlink: request');
  });
});
