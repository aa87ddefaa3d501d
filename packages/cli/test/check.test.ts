import { describe, expect, it } from 'vitest';
import { CONTEXT, SPECIMEN_MRZ, runCli } from './run';
import { VERSION } from 'borderlink';

const ANSI = /\u001b\[/;

describe.concurrent('borderlink check (demo gateway)', () => {
  it('answers the ICAO specimen MRZ with HIT first, each hit with status, owner, notice and action, exit 1', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--mrz', ...SPECIMEN_MRZ]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^DEMO │ HIT — /);
    expect(lines[1]).toBe('DEMO │ DEMO GATEWAY — synthetic data, not a real check');
    expect(stdout).toMatch(/status +STOLEN_BLANK/);
    expect(stdout).toMatch(/owner country +UTO/);
    expect(stdout).toMatch(/action +SEIZE_DOCUMENT/);
    expect(stdout).toMatch(/notice +YELLOW Y-0415\/8-2024/);
    expect(stdout).toMatch(/SLTD +HIT/);
    expect(stdout).toMatch(/TDAWN +NO_HIT/);
    expect(stdout).toMatch(/NOMINAL +HIT/);
    expect(stdout).toContain('MRZ TD3 · valid · ICAO specimen');
  });

  it('reads the MRZ lines from standard input with --mrz -', async () => {
    const { code, stdout } = await runCli(['check', '--mrz', '-', '--json'], { input: `${SPECIMEN_MRZ.join('\n')}\n` });
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ gateway: 'demo', verdict: 'HIT', mrz: { format: 'TD3', valid: true } });
  });

  it('shows the repair of an OCR error (O read for 0 in the date of birth)', async () => {
    const { code, stdout } = await runCli(['check', '--mrz', SPECIMEN_MRZ[0], 'L898902C36UTO74O8122F1204159ZE184226B<<<<<10']);
    expect(code).toBe(1);
    expect(stdout).toContain('OCR_CORRECTED');
    expect(stdout).toContain("line 2, column 16: read 'O', corrected to '0' (birthDate, verified by its check digit)");
  });

  it('refuses an MRZ the repair cannot fix: exit 4, one line, no MRZ text', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--mrz', SPECIMEN_MRZ[0], 'L898902C37UTO7408122F1204159ZE184226B<<<<<10', '--strict']);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^borderlink: the MRZ is invalid: DOCUMENT_NUMBER_CHECK_DIGIT/);
    expect(stderr).not.toContain('L898902C3');
    expect(stderr).not.toContain('ERIKSSON');
  });

  it('answers a stolen document HIT (exit 1) and prints the CheckResult with --json', async () => {
    const { code, stdout } = await runCli(['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT', '--json']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.gateway).toBe('demo');
    expect(json.verdict).toBe('HIT');
    expect(json.hits[0]).toMatchObject({ source: 'SLTD', ownerCountry: 'UTO', document: { status: 'STOLEN_BLANK' } });
    expect(json.outcomes.map((o: { source: string }) => o.source)).toEqual(['SLTD', 'TDAWN']);
  });

  it('answers a person one letter off POSSIBLE_HIT, exit 2', async () => {
    const { code, stdout } = await runCli(['check', 'person', '--surname', 'STORGARD', '--given', 'NILS', '--given', 'ERIK', '--dob', '1968-03-22', '--sex', 'M']);
    expect(code).toBe(2);
    expect(stdout.split('\n')[0]).toMatch(/^DEMO │ POSSIBLE_HIT — /);
    expect(stdout).toMatch(/match +FUZZY 0\.85/);
    expect(stdout).toMatch(/notice +RED A-1207\/3-2024, requested by UTO — ARMED ROBBERY/);
  });

  it('answers an unknown document NO_HIT, exit 0', async () => {
    const { code, stdout } = await runCli(['check', 'document', '--number', 'X1234567', '--state', 'uto', '--type', 'passport']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('DEMO │ NO_HIT — every source answered: no record');
  });

  it('answers a stolen vehicle by plate HIT', async () => {
    const { code, stdout } = await runCli(['check', 'vehicle', '--plate', 'AB-123 CD', '--country', 'UTO', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).hits[0].kind).toBe('vehicle');
  });

  it('prints no colour when piped or with NO_COLOR, and colour with FORCE_COLOR', async () => {
    const args = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];
    expect((await runCli(args)).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    const forced = await runCli(args, { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
    expect(forced.code).toBe(1);
  });
});

describe.concurrent('borderlink check: wrong input', () => {
  it('refuses an invalid document number with one line naming the field, exit 4, no stack, no value', async () => {
    const { code, stdout, stderr } = await runCli(['check', 'document', '--number', 'L8@98902', '--state', 'UTO', '--type', 'PASSPORT']);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^borderlink: invalid input: documentNumber must be/);
    expect(stderr).not.toContain('L8@98902');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('never echoes a stray argument or an unknown flag value', async () => {
    const stray = await runCli(['check', 'document', 'L898902C3', '--state', 'UTO']);
    expect(stray.code).toBe(4);
    expect(stray.stderr).not.toContain('L898902C3');
    const unknown = await runCli(['check', 'document', '--numbr=L898902C3', '--state', 'UTO', '--type', 'PASSPORT']);
    expect(unknown.code).toBe(4);
    // The flag's name, up to its =, is printed (docs/cli.md: a mistyped flag is named); its value never.
    expect(unknown.stderr).toBe('borderlink: unknown option --numbr (did you mean --number?)\n');
    expect(unknown.stderr).not.toContain('L898902C3');
    // A value typed where a flag goes is still a value: not echoed either.
    const asFlag = await runCli(['check', 'person', '--STORGAARD']);
    expect(asFlag.code).toBe(4);
    expect(asFlag.stderr).not.toContain('STORGAARD');
    const odd = await runCli(['check', 'document', '-L898902C3']);
    expect(odd.code).toBe(4);
    expect(odd.stderr).not.toContain('L898902C3');
    expect(unknown.stderr).not.toContain('L898902C3');
  });

  it('names the missing flags', async () => {
    const { code, stderr } = await runCli(['check', 'document', '--number', 'X1234567']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: check document needs --state, --type\n');
  });

  it('refuses a flag of another kind of check', async () => {
    const { code, stderr } = await runCli(['check', 'document', '--number', 'X1', '--state', 'UTO', '--type', 'PASSPORT', '--vin', 'X']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: --vin does not apply to check document\n');
  });

  it('against a real gateway, requires the query context and names what is missing', async () => {
    const { code, stderr } = await runCli(['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT', '--gateway', 'http://127.0.0.1:9', '--operator', 'me']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: a real gateway needs the query context: give --authority, --purpose (or BORDERLINK_AUTHORITY, BORDERLINK_PURPOSE)\n');
  });

  it('exits 5 with one line when the gateway cannot be reached', async () => {
    const { code, stderr } = await runCli(
      ['check', 'document', '--number', 'X1234567', '--state', 'UTO', '--type', 'PASSPORT', '--timeout', '2000', ...CONTEXT],
      { env: { BORDERLINK_GATEWAY_URL: 'http://127.0.0.1:9' } },
    );
    expect(code).toBe(5);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^borderlink: .*\((CONNECTION_FAILED|TIMEOUT|CIRCUIT_OPEN)/);
    expect(stderr).not.toContain('X1234567');
  });

  it('with --json, also puts the error on stdout as JSON', async () => {
    const { code, stdout } = await runCli(['check', 'document', '--number', 'L8@9', '--state', 'UTO', '--type', 'PASSPORT', '--json']);
    expect(code).toBe(4);
    expect(JSON.parse(stdout).error.code).toBe('INVALID_INPUT');
  });
});

describe.concurrent('borderlink --help and --version', () => {
  it('prints the commands and the exit-code table', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('borderlink check --mrz');
    expect(stdout).toMatch(/3 {2}INCOMPLETE/);
    expect(stdout).toContain('DEMO gateway');
  });

  it('has help for each command', async () => {
    for (const command of ['check', 'screen', 'gateway', 'mrz']) {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage:/);
    }
    expect((await runCli(['help', 'screen'])).stdout).toContain('--batch-size');
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints exactly the version of the library it runs on', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${VERSION}\n`);
  });

  it('refuses an unknown command with exit 4, naming the command it is near', async () => {
    const { code, stderr } = await runCli(['chek']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: unknown command chek (did you mean check?) (see borderlink --help)\n');
    const far = await runCli(['L898902C3']);
    expect(far.stderr).toBe('borderlink: unknown command (see borderlink --help)\n');
  });
});
