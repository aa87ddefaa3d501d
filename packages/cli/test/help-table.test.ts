// `borderlink help` from the one table of commands (src/commands.ts): every command and subcommand the table lists
// answers `help X [Y]` and `X [Y] --help` with its usage and exit 0, the main help lists exactly the table's commands,
// and dispatch refuses what the table does not list.
import { describe, expect, it } from 'vitest';
import { COMMANDS, MAIN_HELP } from '../src/commands';
import { runCli } from './run';

const topics: string[][] = COMMANDS.flatMap((c) => [[c.name], ...(c.subcommands ?? []).map((s) => [c.name, s.name])]);

describe.concurrent('borderlink help, from the table of commands', () => {
  it('walks a table that holds the subcommands a user types', () => {
    expect(topics.map((t) => t.join(' '))).toEqual(
      expect.arrayContaining(['check document', 'check person', 'check vehicle', 'store inventory', 'store check', 'audit verify', 'outbox flush', 'mrz make']),
    );
  });

  for (const words of topics) {
    const topic = words.join(' ');
    it(`answers "help ${topic}" and "${topic} --help" with the usage of ${topic}, exit 0`, async () => {
      const viaHelp = await runCli(['help', ...words]);
      expect(viaHelp.stderr).toBe('');
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toMatch(/^Usage:\n/);
      expect(viaHelp.stdout).toContain(`\n  borderlink ${topic}`);
      const viaFlag = await runCli([...words, '--help']);
      expect(viaFlag).toEqual(viaHelp);
      const short = await runCli([...words, '-h']);
      expect(short).toEqual(viaHelp);
    });
  }

  it('lists in the main help every command of the table, and no other', () => {
    const listed = new Set([...MAIN_HELP.matchAll(/^ {2}borderlink ([a-z]+)\b/gm)].map((m) => m[1]!));
    listed.delete('help');
    expect([...listed].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it('answers "help" and "--help" with the main help, and "help help" too', async () => {
    const main = await runCli(['help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toBe(`${MAIN_HELP}\n`);
    expect(await runCli(['--help'])).toEqual(main);
    expect(await runCli(['help', 'help'])).toEqual(main);
  });

  it('refuses a subcommand the table does not list, naming the ones it does, never what was typed', async () => {
    const store = await runCli(['store', 'L898902C3', '--store', 'x.db']);
    expect(store.code).toBe(4);
    expect(store.stderr).toBe('borderlink: store takes inventory or check (see borderlink help store)\n');
    const mrz = await runCli(['mrz']);
    expect(mrz.code).toBe(4);
    expect(mrz.stderr).toBe('borderlink: mrz takes parse or make (see borderlink help mrz)\n');
    // `store sync`: sync is a command of its own, and its name may be said.
    const elsewhere = await runCli(['help', 'store', 'sync']);
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.stderr).toBe('borderlink: no help on that: try borderlink --help; sync is a command of its own: borderlink help sync\n');
    expect((await runCli(['store', 'sync'])).stderr).toBe('borderlink: store takes inventory or check (see borderlink help store); sync is a command of its own: borderlink help sync\n');
    const help = await runCli(['help', 'store', 'L898902C3']);
    expect(help.code).toBe(4);
    expect(help.stderr).toBe('borderlink: no help on that: try borderlink --help\n');
  });
});
