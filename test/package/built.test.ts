// Runs the *built* package both ways, as a user's ESM and CJS code would load it. `npm test` builds before vitest.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from 'borderlink';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });

const script = (load: string) => `
${load}
const client = createClient({
  transport: mockTransport(),
  context: { authorityId: 'UTO-POLICE', operatorId: 'smoke', purpose: 'TEST' },
});
client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' })
  .then(async (r) => { console.log(JSON.stringify({ verdict: r.verdict, kinds: r.hits.map((h) => h.kind) })); await client.close(); })
  .catch((e) => { console.error(e); process.exit(1); });
`;

describe('the built package', () => {
  it('has been built', () => {
    expect(existsSync(`${root}/packages/borderlink/dist/index.js`) && existsSync(`${root}/packages/borderlink/dist/index.cjs`)).toBe(true);
  });

  it('runs a check when imported as ESM', () => {
    const out = run([
      '--input-type=module',
      '-e',
      script(`import { createClient } from 'borderlink'; import { mockTransport } from 'borderlink/testing';`),
    ]);
    expect(JSON.parse(out)).toEqual({ verdict: 'HIT', kinds: ['document'] });
  });

  it('runs a check when required as CommonJS on this Node (ESM-only dependencies bundled)', () => {
    const out = run([
      '--input-type=commonjs',
      '-e',
      script(`const { createClient } = require('borderlink'); const { mockTransport } = require('borderlink/testing');`),
    ]);
    expect(JSON.parse(out)).toEqual({ verdict: 'HIT', kinds: ['document'] });
  });

  it('keeps instanceof across the ESM and CJS copies', async () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import { TimeoutError, BorderlinkError } from 'borderlink';
       const cjs = createRequire(import.meta.url)('borderlink');
       const e = new cjs.TimeoutError('x');
       console.log(JSON.stringify([e instanceof TimeoutError, e instanceof BorderlinkError, new TimeoutError('y') instanceof cjs.TimeoutError, e instanceof cjs.ConnectionError]));`,
    ]);
    expect(JSON.parse(out)).toEqual([true, true, true, false]);
  });

  it('says the same version as package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(`${root}/packages/borderlink/package.json`, 'utf8')).version);
  });
});
