import { describe, expect, it } from 'vitest';
import { SPECIMEN_MRZ, runCli } from './run';

const make = [
  'mrz', 'make', '--format', 'TD3', '--code', 'P', '--state', 'UTO', '--number', 'L898902C3', '--surname', 'ERIKSSON',
  '--given', 'ANNA', '--given', 'MARIA', '--nationality', 'UTO', '--dob', '1974-08-12', '--sex', 'F', '--expiry', '2012-04-15',
  '--personal-number', 'ZE184226B',
];

describe.concurrent('borderlink mrz', () => {
  it('makes the ICAO specimen lines, and they parse back valid with the same fields', async () => {
    const made = await runCli(make);
    expect(made.code).toBe(0);
    const lines = made.stdout.trimEnd().split('\n');
    expect(lines).toEqual([...SPECIMEN_MRZ]);
    const parsed = await runCli(['mrz', 'parse', ...lines, '--json']);
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.stdout)).toMatchObject({
      format: 'TD3',
      valid: true,
      document: { documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], birthDate: '1974-08-12', sex: 'F' },
    });
  });

  it('makes a TD1 ID card as JSON', async () => {
    const { code, stdout } = await runCli([
      'mrz', 'make', '--format', 'td1', '--code', 'I', '--state', 'UTO', '--number', 'D23145890', '--surname', 'Eriksson',
      '--given', 'Anna María', '--nationality', 'UTO', '--dob', '1974-08-12', '--sex', 'F', '--expiry', '2012-04-15', '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<']);
  });

  it('parses with format, validity, fields, check digits, issues and the corrections made', async () => {
    const { code, stdout } = await runCli(['mrz', 'parse', SPECIMEN_MRZ[0], 'L898902C36UTO74O8122F1204159ZE184226B<<<<<10']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('MRZ TD3 · valid · ICAO specimen');
    expect(stdout).toMatch(/date of birth +1974-08-12/);
    expect(stdout).toMatch(/birthDate +printed 2, computed 2 · ok/);
    expect(stdout).toContain('SPECIMEN_DOCUMENT (warning)');
    expect(stdout).toContain("read 'O', corrected to '0'");
  });

  it('with --strict repairs nothing: the same lines are invalid, exit 4', async () => {
    const { code, stdout } = await runCli(['mrz', 'parse', '--strict', '--json', SPECIMEN_MRZ[0], 'L898902C36UTO74O8122F1204159ZE184226B<<<<<10']);
    expect(code).toBe(4);
    const parsed = JSON.parse(stdout);
    expect(parsed.valid).toBe(false);
    expect(parsed.corrections).toEqual([]);
  });

  it('reads the lines from standard input with -', async () => {
    const { code, stdout } = await runCli(['mrz', 'parse', '-', '--json'], { input: SPECIMEN_MRZ.join('\r\n') });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).valid).toBe(true);
  });

  it('refuses a bad field of mrz make with one line naming the flag, not the value', async () => {
    const args = [...make];
    args[args.indexOf('L898902C3')] = 'L89@902';
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^borderlink: --number must be/);
    expect(stderr).not.toContain('L89@902');
  });

  it('names the flags mrz make is missing', async () => {
    const { code, stderr } = await runCli(['mrz', 'make', '--format', 'TD3']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: mrz make needs --code, --state, --number, --surname, --nationality, --dob, --sex, --expiry\n');
  });
});
