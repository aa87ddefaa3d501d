// Automatic batching, what happens to calls gathered and not yet sent: they must be sent or settled, never left to a
// timer that does not hold the process open, and never left waiting on a client that was closed.
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const run = promisify(execFile);
const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const doc = (n: number) => ({ documentNumber: `N${n}`, issuingState: 'UTO', documentType: 'PASSPORT' as const });
const SRC = resolve(__dirname, '../../src');
const TSX = resolve(__dirname, '../../../../node_modules/.bin/tsx');

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('batched calls gathered and not yet sent', () => {
  it('sends a lone check of a process that has nothing else to do, with maxDelayMs above 0', async () => {
    // The flush timer is the only thing the process waits on before the request exists: if it does not hold the
    // event loop, the process exits and the check is never made (exit code 13, an unsettled top-level await).
    const dir = mkdtempSync(join(tmpdir(), 'bl-batch-'));
    const script = join(dir, 'lone.mts');
    writeFileSync(
      script,
      [
        `import { createClient } from ${JSON.stringify(join(SRC, 'index.ts'))};`,
        `import { mockTransport } from ${JSON.stringify(join(SRC, 'testing/index.ts'))};`,
        `const client = createClient({ transport: mockTransport(), context: ${JSON.stringify(context)}, batching: { maxDelayMs: 20 } });`,
        `const result = await client.checkDocument(${JSON.stringify(doc(1))});`,
        `console.log('verdict', result.verdict);`,
        `await client.close();`,
      ].join('\n'),
    );
    const { stdout } = await run(TSX, [script], { timeout: 20_000 });
    expect(stdout).toContain('verdict NO_HIT');
  });

  it('settles the calls gathered for a request when the client is closed, without waiting on the batching timer', async () => {
    // A clock driven by hand (resilience option `clock`): its timers fire only when the test says, so nothing but
    // close() itself can settle the calls. A call in flight in the executor is settled by close(); one gathered for a
    // request must be too, or it waits on a timer of a client that is gone.
    const clock = { now: () => 0, setTimeout: () => ({}), clearTimeout: () => undefined };
    for (const batching of [false, { maxDelayMs: 50 }] as const) {
      const client = createClient({ transport: mockTransport(), context, clock, batching });
      clients.push(client);
      const settled: boolean[] = [false, false];
      const errors: unknown[] = [];
      const calls = [client.checkDocument(doc(1)), client.checkDocument(doc(2))].map((p, i) =>
        p.then(
          () => (settled[i] = true),
          (err: unknown) => {
            errors.push(err);
            settled[i] = true;
          },
        ),
      );
      await client.close();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(settled, `batching ${JSON.stringify(batching)}`).toEqual([true, true]);
      await Promise.all(calls);
      // Ended as the executor ends the calls it holds: an AbortError each, never a check sent to a closed client.
      if (batching !== false) {
        expect(errors).toHaveLength(2);
        for (const err of errors) expect(err).toBeInstanceOf(AbortError);
        expect(errors[0]).not.toBe(errors[1]);
      }
    }
  });
});
