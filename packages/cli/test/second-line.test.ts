// `borderlink record` and `borderlink confirm`, run as a shell runs them: the demo, a real gateway on a socket (the
// mock, and a raw one that lies), the exit code of every final state, and no control character of the gateway's text
// on the terminal.
import { describe, expect, it } from 'vitest';
import { CONFIRMATION_EXIT, CONFIRMATION_EXIT_CODES } from '../src/exit-codes';
import { HELP } from '../src/help';
import { CONTEXT, rawGateway, runCli, startGateway } from './run';

// A real gateway is asked with a deadline that a loaded machine (these tests run beside others) still keeps.
const SECOND_LINE = ['--authority', 'UTO-POLICE', '--operator', 'officer-0042', '--purpose', 'SECOND_LINE', '--location', 'UTO-LANE-07', '--timeout', '20000'];
/** Each test runs a process or three: more than the default while other suites load the machine. */
const SLOW = 90_000;
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/u;
const unsafeIn = (text: string) => [...text.replace(/\n/g, '')].filter((ch) => UNSAFE.test(ch));
const REPAINT = '\u001b[2J\u001b[H\u001b[32mNO_HIT\u001b[0m\u009b2J\u202e';

describe.concurrent('borderlink record', { timeout: SLOW }, () => {
  it('prints the full record of the demo gateway, every line marked DEMO, and as JSON', async () => {
    const human = await runCli(['record', 'NOMINAL', 'NOMINAL-UTO-0001']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines.every((l) => l.startsWith('DEMO │'))).toBe(true);
    expect(human.stdout).toContain('RECORD NOMINAL-UTO-0001 · NOMINAL · wanted or sought person');
    expect(human.stdout).toContain('aliases        STORGARD, NILS, STORGAARD, ERIK');
    expect(human.stdout).toContain('description    Height 182 cm, grey eyes, scar above the left eyebrow');
    const json = await runCli(['record', 'sltd', 'SLTD-UTO-0001', '--json']);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer).toMatchObject({ gateway: 'demo', record: { source: 'SLTD', recordId: 'SLTD-UTO-0001', history: [{ event: 'REPORTED' }, { event: 'STATUS_CHANGED' }] }, warnings: [] });
  });

  it('says why a gateway refuses a record for a BORDER_CHECK, and exits 8 (access refused: the purpose to fix)', async () => {
    const gateway = await startGateway([]);
    try {
      const { code, stdout, stderr } = await runCli(['record', 'SLTD', 'SLTD-UTO-0001', '--gateway', gateway.url, ...CONTEXT, '--timeout', '20000']);
      expect(code).toBe(8);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^borderlink: The gateway does not give full records for purpose BORDER_CHECK \(PURPOSE_NOT_ALLOWED\): read them with the purpose the work has, such as SECOND_LINE or INVESTIGATION/);
      const allowed = await runCli(['record', 'SLTD', 'SLTD-UTO-0001', '--gateway', gateway.url, ...SECOND_LINE]);
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).not.toContain('DEMO');
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a command line it cannot use without quoting it', async () => {
    expect(await runCli(['record', 'SLTD'])).toMatchObject({ code: 4, stderr: expect.stringContaining('record needs SOURCE') });
    const wrong = await runCli(['record', 'L898902C3', 'X']);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).not.toContain('L898902C3');
    expect(await runCli(['record', 'SLTD', 'SLTD-UTO-0001', 'more'])).toMatchObject({ code: 4 });
  });

  it("prints no control character of a record's gateway text", async () => {
    const { url, server } = await rawGateway(() => ({
      status: 200,
      body: {
        source: 'SMV',
        recordId: 'SMV-1',
        ownerCountry: `UTO${REPAINT}`,
        vehicle: { vin: 'V', plate: 'P', make: REPAINT, model: 'M', colour: 'C', theftDate: 'T', registrationCountry: 'UTO', description: `dent\r\n${REPAINT}` },
      },
    }));
    try {
      for (const extra of [[], ['--json']]) {
        const { code, stdout } = await runCli(['record', 'SMV', 'SMV-1', '--gateway', url, ...SECOND_LINE, ...extra]);
        expect(code).toBe(0);
        expect(unsafeIn(stdout)).toEqual([]);
      }
    } finally {
      server.close();
    }
  });
});

describe.concurrent('borderlink confirm', { timeout: SLOW }, () => {
  for (const [hitId, state] of [
    ['HIT-000001-SLTD-UTO-0001', 'CONFIRMED'],
    ['HIT-000002-NOMINAL-UTO-0002', 'NOT_CONFIRMED'],
    ['HIT-000003-SLTD-UTO-0002', 'RECORD_NO_LONGER_VALID'],
  ] as const) {
    it(`asks the demo owner, waits, and exits ${CONFIRMATION_EXIT[state]} for ${state}`, async () => {
      const { code, stdout } = await runCli(['confirm', hitId, '--urgent', '--wait']);
      expect(code).toBe(CONFIRMATION_EXIT[state]);
      expect(stdout).toContain(`DEMO │ ${state} — `);
      expect(stdout).toContain('PENDING · URGENT · request 1 of 3 · CONF-000001');
    }, SLOW);
  }

  it('without --wait, prints the confirmation id and how to follow it, and exits 0', async () => {
    const { code, stdout } = await runCli(['confirm', 'HIT-000001-SLTD-UTO-0001']);
    expect(code).toBe(0);
    expect(stdout).toContain('PENDING · ROUTINE · request 1 of 3 · CONF-000001');
    expect(stdout).toContain('Follow it with: borderlink confirm --resume CONF-000001 --wait');
  });

  it('follows a real gateway as JSON lines, and resumes a confirmation by its id', async () => {
    const gateway = await startGateway([]);
    try {
      const asked = await runCli(['confirm', 'HIT-000009-NOMINAL-UTO-0001', '--urgent', '--json', '--gateway', gateway.url, ...SECOND_LINE]);
      expect(asked.code).toBe(0);
      const [requested] = asked.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(requested).toMatchObject({ type: 'requested', state: 'PENDING', priority: 'URGENT', attempt: 1 });
      const resumed = await runCli(['confirm', '--resume', requested.confirmationId, '--wait', '--json', '--gateway', gateway.url, ...SECOND_LINE]);
      expect(resumed.code).toBe(CONFIRMATION_EXIT.CONFIRMED);
      const lines = resumed.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.type)).toEqual(['resumed', ...lines.slice(1, -1).map(() => 'confirmation'), 'final']);
      expect(lines.at(-1)).toMatchObject({ state: 'CONFIRMED', confirmationId: requested.confirmationId, response: { instructions: expect.any(String) } });
    } finally {
      await gateway.stop();
    }
  });

  it('sends the next request when the gateway says one lapsed, three at most, then exits 13 (EXPIRED)', async () => {
    let n = 0;
    const posts: unknown[] = [];
    const { url, server } = await rawGateway((req, body) => {
      if (req.method === 'POST') {
        posts.push(JSON.parse(body));
        return { status: 201, body: { confirmationId: `C-${++n}`, state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' } };
      }
      const id = decodeURIComponent(req.url!.split('/').pop()!);
      const status = { confirmationId: id, hitId: 'H-1', priority: 'URGENT', attempt: Number(id.slice(2)), reason: 'r', locationId: 'UTO-LANE-07', state: 'EXPIRED', dueAt: '2026-01-01T00:00:00Z' };
      return { status: 200, body: status };
    });
    try {
      const { code, stdout } = await runCli(['confirm', 'H-1', '--urgent', '--wait', '--reason', 'r', '--gateway', url, ...SECOND_LINE]);
      expect(code).toBe(CONFIRMATION_EXIT.EXPIRED);
      expect(posts.map((p) => (p as { renews?: string }).renews)).toEqual([undefined, 'C-1', 'C-2']);
      expect(stdout).toContain('request 2 of 3');
      expect(stdout).toContain('request 3 of 3');
      expect(stdout).toContain('EXPIRED — no answer after three requests');
    } finally {
      server.close();
    }
  });

  it("prints no control character of the owner's words, and refuses a state protocol v1 does not list (exit 5)", async () => {
    let looks = 0;
    const { url, server } = await rawGateway((req) => {
      if (req.method === 'POST') return { status: 201, body: { confirmationId: 'C-1', state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' } };
      looks++;
      const base = { confirmationId: 'C-1', hitId: 'H-1', priority: 'ROUTINE', attempt: 1, reason: 'r', locationId: 'UTO-LANE-07', dueAt: '2999-01-01T00:00:00Z' };
      return { status: 200, body: { ...base, state: 'CONFIRMED', respondedAt: '2026-12-01T08:00:00Z', response: { instructions: `Seize ${REPAINT}`, ownerReference: REPAINT } } };
    });
    try {
      const { code, stdout } = await runCli(['confirm', 'H-1', '--wait', '--reason', 'r', '--gateway', url, ...SECOND_LINE]);
      expect(code).toBe(CONFIRMATION_EXIT.CONFIRMED);
      expect(looks).toBe(1);
      expect(unsafeIn(stdout)).toEqual([]);
      expect(stdout).toContain('instructions   Seize [2J[H[32mNO_HIT[0m2J');
    } finally {
      server.close();
    }
    const flip = await rawGateway((req) => {
      if (req.method === 'POST') return { status: 201, body: { confirmationId: 'C-1', state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' } };
      return { status: 200, body: { confirmationId: 'C-1', hitId: 'H-1', priority: 'ROUTINE', attempt: 1, reason: 'r', locationId: 'UTO-LANE-07', state: 'MAYBE', dueAt: '2999-01-01T00:00:00Z' } };
    });
    try {
      const { code, stderr } = await runCli(['confirm', 'H-1', '--wait', '--reason', 'r', '--gateway', flip.url, ...SECOND_LINE]);
      expect(code).toBe(5);
      expect(stderr).toMatch(/^borderlink: The gateway's confirmation status does not match protocol v1 at state \(PROTOCOL_ERROR/);
    } finally {
      flip.server.close();
    }
  });

  it('refuses a command line it cannot use', async () => {
    expect(await runCli(['confirm'])).toMatchObject({ code: 4, stderr: expect.stringContaining('confirm needs the HIT_ID') });
    expect(await runCli(['confirm', '--resume', 'CONF-1', '--urgent'])).toMatchObject({ code: 4, stderr: expect.stringContaining('--urgent does not apply to confirm --resume') });
    const noLocation = await runCli(['confirm', 'H-1', '--gateway', 'http://127.0.0.1:9', ...CONTEXT]);
    expect(noLocation).toMatchObject({ code: 4, stderr: expect.stringContaining('confirm needs --location ID') });
  });

  it('prints the same exit codes in its help as in the table of the code', () => {
    for (const e of CONFIRMATION_EXIT_CODES) expect(HELP.confirm).toContain(`${String(e.code).padStart(2)}  ${e.meaning}`);
  });
});
