// Rule 2 for the command: whatever strings a hostile gateway sends, the officer's terminal gets no control or bidi
// character from it (a green NO_HIT painted over a HIT), and an error line never repeats gateway text. The built
// command, run against the hostile gateway over a real socket.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run';
import { item, itemValue, PLANTED } from '../../borderlink/test/hostile/answers';
import { startHostileGateway, type HostileGateway } from '../../borderlink/test/hostile/server';

let gateway: HostileGateway;
beforeAll(async () => {
  gateway = await startHostileGateway();
});
afterAll(async () => {
  await gateway?.close();
});

const check = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT', '--authority', 'UTO-POLICE', '--operator', 'officer-0042', '--purpose', 'BORDER_CHECK'];
const planted = fc.constantFrom(PLANTED.documentNumber, PLANTED.surname, PLANTED.escape, `${PLANTED.escape}${PLANTED.documentNumber}`);
// Line breaks are the command's own; anything else below U+0020, DEL, C1 and the bidi controls must not be printed.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('the command against a hostile gateway', () => {
  it('prints no control character from the gateway, and no gateway text in an error line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ kind: fc.constant('error' as const), status: fc.constantFrom(400, 403, 404, 500, 503), code: planted, message: planted }),
          fc.record({ kind: fc.constant('answer' as const), requestId: planted, item }),
        ),
        fc.boolean(),
        async (answer, json) => {
          const body =
            answer.kind === 'error'
              ? JSON.stringify({ error: { code: answer.code, message: answer.message, details: [{ path: answer.code, message: answer.message }] } })
              : JSON.stringify({ requestId: answer.requestId, items: [itemValue('1', answer.item)] });
          gateway.answer(() => ({ status: answer.kind === 'error' ? answer.status : 200, body }));
          const { stdout, stderr, code } = await runCli([...check, '--gateway', gateway.url, '--timeout', '2000', ...(json ? ['--json'] : [])]);
          expect(stdout).not.toMatch(UNSAFE);
          expect(stderr).not.toMatch(UNSAFE);
          if (answer.kind === 'error') {
            // Never a verdict's code: 4 for a refused request, 8 for refused access, 5 for any other gateway error.
            expect(code).toBe(answer.status === 400 ? 4 : answer.status === 403 ? 8 : 5);
            for (const p of Object.values(PLANTED)) {
              expect(stderr).not.toContain(p);
              expect(stdout).not.toContain(p);
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
