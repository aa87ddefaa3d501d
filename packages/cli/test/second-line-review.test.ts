// `borderlink record` and `borderlink confirm` as a hostile reviewer runs them: a confirmation taken up again by its id
// in human output, the exit code of each state it ends in, a gateway id that would run a command if pasted into a
// shell, escape codes in every field of every kind of record (with colour on too), and the reason and planted personal
// values kept out of what the command prints.
import { spawn, execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CONFIRMATION_EXIT } from '../src/exit-codes';
import { cleanEnv, cli, rawGateway, root, runCli, startGateway } from './run';

const SECOND_LINE = ['--authority', 'UTO-POLICE', '--operator', 'officer-0042', '--purpose', 'SECOND_LINE', '--location', 'UTO-LANE-07', '--timeout', '20000'];
const SLOW = 90_000;
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/u;
const unsafeIn = (text: string) => [...text.replace(/\n/g, '')].filter((ch) => UNSAFE.test(ch));
const REPAINT = '\u001b[2J\u001b[H\u001b[32mNO_HIT\u001b[0m\u009b2J\u202e\u0085';
/**
 * Printable ASCII without a space, as protocol v1 allows a confirmation id: pasted unquoted, a shell would run `id`
 * (and look for commands q, x and y). Nothing in it writes a file, so a test that fails runs nothing worse.
 */
const SHELL_ID = "C-1$(id)`id`;'q'|x&&y";
const pending = (confirmationId: string) => ({ confirmationId, hitId: 'H-1', priority: 'ROUTINE', attempt: 1, reason: 'r', locationId: 'UTO-LANE-07', state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' });

/** What a POSIX shell reads `word` back as. */
const shellReads = (word: string) => execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });

describe.concurrent('borderlink confirm --resume', { timeout: SLOW }, () => {
  for (const [record, state] of [
    ['SLTD-UTO-0001', 'CONFIRMED'],
    ['NOMINAL-UTO-0002', 'NOT_CONFIRMED'],
    ['SLTD-UTO-0002', 'RECORD_NO_LONGER_VALID'],
  ] as const) {
    it(`takes up a confirmation by its id, printed for people, and exits ${CONFIRMATION_EXIT[state]} when it ends ${state}`, async () => {
      const gateway = await startGateway([]);
      try {
        const asked = await runCli(['confirm', `HIT-000001-${record}`, '--gateway', gateway.url, ...SECOND_LINE]);
        expect(asked.code).toBe(0);
        const id = /--resume (\S+) --wait/.exec(asked.stdout)?.[1];
        expect(id).toMatch(/^CONF-\d+$/);
        const resumed = await runCli(['confirm', '--resume', id!, '--wait', '--gateway', gateway.url, ...SECOND_LINE]);
        expect(resumed.code).toBe(CONFIRMATION_EXIT[state]);
        expect(resumed.stderr).toBe('');
        const lines = resumed.stdout.trimEnd().split('\n');
        expect(lines[0]).toBe('Taken up again:');
        expect(lines[1]).toMatch(new RegExp(`^  PENDING · ROUTINE · request 1 of 3 · ${id} · due `));
        expect(resumed.stdout).toContain(`\n${state} — `);
        expect(resumed.stdout).toContain(`  request        1 of 3 · ${id} · ROUTINE`);
        expect(resumed.stdout).toContain(`  hit id         HIT-000001-${record}`);
        expect(resumed.stdout).not.toContain('DEMO');
      } finally {
        await gateway.stop();
      }
    });
  }

  it('refuses to take up an id that is not one, before asking anything, without quoting it', async () => {
    const { code, stderr } = await runCli(['confirm', '--resume', 'C 1 ERIKSSON', '--gateway', 'http://127.0.0.1:9', ...SECOND_LINE]);
    expect(code).toBe(4);
    expect(stderr).toContain('confirmationId');
    expect(stderr).not.toContain('ERIKSSON');
  });
});

describe.concurrent('the lines borderlink confirm tells the officer to run', { timeout: SLOW }, () => {
  it('quote a gateway confirmation id for the shell, so pasted it is read back as the id and runs nothing', async () => {
    const { url, server } = await rawGateway((req) =>
      req.method === 'POST' ? { status: 201, body: { confirmationId: SHELL_ID, state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' } } : { status: 200, body: pending(SHELL_ID) },
    );
    try {
      const { code, stdout } = await runCli(['confirm', 'H-1', '--reason', 'r', '--gateway', url, ...SECOND_LINE]);
      expect(code).toBe(0);
      const word = /Follow it with: borderlink confirm --resume (.+) --wait$/m.exec(stdout)?.[1];
      expect(word).toBeDefined();
      expect(shellReads(word!)).toBe(SHELL_ID);
      // An id a shell reads as itself is printed as it is.
      expect(shellReads('CONF-000001')).toBe('CONF-000001');
    } finally {
      server.close();
    }
  });

  it('quote it in the line printed when the officer stops waiting (Ctrl-C), and exit 130', async () => {
    const { url, server } = await rawGateway((req) =>
      req.method === 'POST' ? { status: 201, body: { confirmationId: SHELL_ID, state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' } } : { status: 200, body: pending(SHELL_ID) },
    );
    try {
      const child = spawn(process.execPath, [cli, 'confirm', 'H-1', '--wait', '--reason', 'r', '--gateway', url, ...SECOND_LINE], { env: cleanEnv(), cwd: root });
      let stdout = '';
      let stopped = false;
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (!stopped && stdout.includes('Asked the owner country')) stopped = child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      const word = /Take it up again with: borderlink confirm --resume (.+) --wait$/m.exec(stdout)?.[1];
      expect(word).toBeDefined();
      expect(shellReads(word!)).toBe(SHELL_ID);
    } finally {
      server.close();
    }
  });
});

describe.concurrent('borderlink record prints gateway text neutralised', { timeout: SLOW }, () => {
  const d = (text: string) => `${text}${REPAINT}`;
  const document = { documentNumber: d('N'), issuingState: d('UTO'), documentType: d('PASSPORT'), status: d('STOLEN'), incidentDate: d('2024'), incidentCountry: d('UTO') };
  const notice = { type: d('RED'), reference: d('A-1'), requestingCountry: d('UTO'), charges: [d('C')], aliases: [d('A')], physicalDescription: d('tall\r\nHIT: none'), languages: [d('UTO')], publishedAt: d('2024'), expiresAt: d('2029') };
  const base = { ownerCountry: d('UTO'), actionToBeTaken: d('SEIZE') };
  const RECORDS = {
    SLTD: { ...base, document, reportingAuthority: d('PO'), authorityReference: d('REF'), history: [{ at: d('2024'), event: d('REPORTED'), status: d('STOLEN'), authority: d('PO') }] },
    TDAWN: { ...base, document, notice },
    NOMINAL: { ...base, person: { surname: d('S'), givenNames: [d('G')], dateOfBirth: d('1970'), nationalities: [d('UTO')] }, notice },
    SMV: { ...base, vehicle: { vin: d('V'), plate: d('P'), make: d('M'), model: d('M'), colour: d('C'), theftDate: d('T'), registrationCountry: d('UTO'), manufactureYear: d('2019'), bodyType: d('B'), engineNumber: d('E'), description: d('dent') } },
  } as const;

  for (const [source, fields] of Object.entries(RECORDS)) {
    it(`in every field of a ${source} record, human (colour on and off) and as JSON`, async () => {
      const recordId = `${source}-1`;
      const { url, server } = await rawGateway(() => ({ status: 200, body: { source, recordId, ...fields } }));
      try {
        for (const [extra, env] of [
          [[], {}],
          [[], { FORCE_COLOR: '1' }],
          [['--json'], {}],
        ] as const) {
          const { code, stdout, stderr } = await runCli(['record', source, recordId, '--gateway', url, ...SECOND_LINE, ...extra], { env });
          expect(code, `${extra} ${JSON.stringify(env)}`).toBe(0);
          expect(stderr).toBe('');
          // With colour on, the only escape codes are the command's own colours (SGR); none of the gateway's.
          const text = env.FORCE_COLOR === undefined ? stdout : stdout.replace(/\u001b\[[0-9;]*m/g, '');
          if (env.FORCE_COLOR !== undefined) expect(text).not.toBe(stdout);
          expect(unsafeIn(text)).toEqual([]);
          expect(text).toContain('NO_HIT');
          // The description's line break is gone: the gateway cannot make a line of the command's output.
          expect(text).not.toMatch(/^HIT: none/m);
        }
      } finally {
        server.close();
      }
    });
  }
});

describe.concurrent('rule 2 in what the command prints', { timeout: SLOW }, () => {
  const PLANTED = ['ERIKSSON', 'L898902C3', '1974-08-12', 'cell 2'];
  const reason = 'Holder ANNA ERIKSSON born 1974-08-12, passport L898902C3, held in cell 2';
  const plantedError = { error: { code: 'L898902C3', message: `no ${reason}`, details: [{ path: 'ERIKSSON', message: reason }] } };

  it('prints neither the reason given nor a gateway error’s planted words, as text or JSON', async () => {
    const bodies: string[] = [];
    const { url, server } = await rawGateway((req, body) => {
      if (req.url!.startsWith('/v1/records/')) return { status: 403, body: plantedError };
      if (req.method === 'POST') {
        bodies.push(body);
        return req.url!.includes('H-2') ? { status: 409, body: plantedError } : { status: 201, body: { confirmationId: 'C-1', state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' } };
      }
      return { status: 200, body: { ...pending('C-1'), reason, state: 'CONFIRMED', response: { instructions: 'Seize the document', ownerReference: 'UTO-1' } } };
    });
    try {
      const runs = [];
      for (const extra of [[], ['--json']]) {
        runs.push(await runCli(['confirm', 'H-1', '--wait', '--reason', reason, '--gateway', url, ...SECOND_LINE, ...extra]));
        runs.push(await runCli(['confirm', 'H-2', '--reason', reason, '--gateway', url, ...SECOND_LINE, ...extra]));
        runs.push(await runCli(['record', 'NOMINAL', 'R-1', '--gateway', url, ...SECOND_LINE, ...extra]));
        runs.push(await runCli(['confirm', '--resume', 'C-1', '--gateway', url, ...SECOND_LINE, ...extra]));
      }
      expect(runs.map((r) => r.code)).toEqual([10, 5, 8, 10, 10, 5, 8, 10]);
      // The reason went to the gateway, and nowhere else.
      expect(JSON.parse(bodies[0]!).reason).toBe(reason);
      for (const r of runs) for (const p of PLANTED) expect(r.stdout + r.stderr, p).not.toContain(p);
    } finally {
      server.close();
    }
  });
});
