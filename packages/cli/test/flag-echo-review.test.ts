// Review: the shape of a flag (lower-case letters and hyphens) is no proof that a value is not one: a name typed where
// a flag goes (`--anna`, `--smith`, `--de-la-cruz`) has it. A typed flag is named only when it is near a flag of the
// command or is a flag of another command; any other word is not repeated.
import { describe, expect, it } from 'vitest';
import { runCli } from './run';

describe.concurrent('a mistyped flag that may be a name', () => {
  it('is not echoed when it is near no flag of the command and is no flag of another', async () => {
    for (const typed of ['--anna', '--smith', '--de-la-cruz', '--storgaard=x']) {
      const { code, stderr } = await runCli(['check', 'person', '--surname', 'ERIKSSON', typed]);
      expect(code, typed).toBe(4);
      expect(stderr, typed).toMatch(/^borderlink: an unknown option \(not shown: it may hold a value; .*\n$/);
      expect(stderr, typed).not.toContain(typed.replace(/^-+/, '').split('=')[0]);
    }
  });

  it('is still named when it is near a flag of the command, or a flag of another command', async () => {
    const near = await runCli(['check', 'person', '--surname', 'ERIKSSON', '--givn', 'ANNA']);
    expect(near.stderr).toBe('borderlink: unknown option --givn (did you mean --given?)\n');
    const elsewhere = await runCli(['screen', 'manifest.csv', '--store', 'x']);
    expect(elsewhere.stderr).toMatch(/^borderlink: unknown option --store; this command takes --help, .*\n$/);
  });

  it('is a command word of no command: not echoed either', async () => {
    const { code, stderr } = await runCli(['anna', 'check']);
    expect(code).toBe(4);
    expect(stderr).toBe('borderlink: unknown command (see borderlink --help)\n');
  });
});
