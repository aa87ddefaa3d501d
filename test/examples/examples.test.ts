// The examples are documentation: they run here so they stay true.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = async (script: string, args: string[] = []) => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root,
      timeout: 30_000,
      env: { ...process.env, BORDERLINK_GATEWAY_URL: '' },
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
};

describe('examples', () => {
  it('demo prints a HIT for each of the document, person and vehicle, and a NO_HIT', async () => {
    const { code, stdout } = await run('examples/demo.ts');
    expect(code).toBe(0);
    expect(stdout.match(/VERDICT {2}HIT/g)).toHaveLength(3);
    expect(stdout).toMatch(/VERDICT {2}NO_HIT/);
    expect(stdout).toMatch(/SLTD document STOLEN_BLANK/);
    expect(stdout).toMatch(/SMV vehicle VOLKSWAGEN GOLF/);
  });

  it('lane workstation shows RED for the specimen passport', async () => {
    const { code, stdout } = await run('examples/lane-workstation.ts');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^RED {4}record found/m);
    expect(stdout).toMatch(/not clear/);
  });

  it('lane workstation asks for a rescan when the MRZ fails its check digits', async () => {
    const { code, stdout } = await run('examples/lane-workstation.ts', [
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO7408123F1204159ZE184226B<<<<<10',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^RESCAN .*BIRTH_DATE_CHECK_DIGIT/m);
  });

  it('telemetry exports the spans of a real check to an in-memory exporter: the call with its verdict, an attempt each', async () => {
    const { code, stdout } = await run('examples/telemetry.ts');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^verdict HIT after 2 attempts$/m);
    expect(stdout).toMatch(/^borderlink\.check [\d.]+ ms .*borderlink\.verdict=HIT .*borderlink\.source\.sltd\.status=HIT borderlink\.source\.tdawn\.status=NO_HIT$/m);
    const attempts = stdout.split('\n').filter((l) => l.startsWith('  └ POST /v1/checks'));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatch(/http\.response\.status_code=503 error\.type=503$/);
    expect(attempts[1]).toMatch(/http\.response\.status_code=200 http\.request\.resend_count=1$/);
    expect(stdout).not.toContain('L898902C3');
  });

  it('manifest screening lists the passengers that need a look and a summary', async () => {
    const { code, stdout } = await run('examples/manifest-screening.ts');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1A {2}HIT/m);
    expect(stdout).toMatch(/^2A {2}POSSIBLE_HIT/m);
    expect(stdout).toMatch(/screened 6: 2 HIT, 1 POSSIBLE_HIT, 0 INCOMPLETE, 0 errors, 3 clear/);
  });

  it('PAXLST screening answers each traveller and writes the CUSRES, board only for the clear ones', async () => {
    const { code, stdout } = await run('examples/paxlst-screening.ts');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ZZ400 FRA→UTO: 5 travellers$/m);
    expect(stdout).toMatch(/^ {2}1 {2}NO_BOARD {2}HIT$/m);
    expect(stdout).toMatch(/^ {2}2 {2}CONTACT {3}POSSIBLE_HIT$/m);
    expect(stdout).toMatch(/^ {2}3 {2}BOARD {5}NO_HIT$/m);
    expect(stdout.match(/^ERC\+(\w+)'$/gm)).toEqual(["ERC+1Z'", "ERC+2Z'", "ERC+0Z'", "ERC+1Z'", "ERC+0Z'"]);
  });
});
