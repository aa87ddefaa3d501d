// The help texts and docs/cli.md describe one command: every command the help lists has its section in the guide,
// every flag and variable the help names is in the guide, and both print the same exit codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes';
import { MAIN_HELP } from '../src/commands';
import { HELP } from '../src/help';
import { root, runCli } from './run';

const guide = readFileSync(`${root}packages/borderlink/docs/cli.md`, 'utf8');
/** The commands the main help lists, as `borderlink COMMAND …`. */
const commands = [...new Set([...MAIN_HELP.matchAll(/^ {2}borderlink ([a-z]+)\b/gm)].map((m) => m[1]!))].filter((c) => c !== 'help');
const flagsOf = (text: string) => [...new Set(text.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])];
const variablesOf = (text: string) => [...new Set(text.match(/\bBORDERLINK_[A-Z0-9_]+\b/g) ?? [])];
const inGuide = (word: string) => new RegExp(`(?<![\\w-])${word.replace(/[-]/g, '\\-')}(?![\\w-])`).test(guide);

describe('the help and docs/cli.md', () => {
  it('lists the new commands in the main help', () => {
    expect(commands).toEqual(expect.arrayContaining(['check', 'screen', 'sync', 'outbox', 'store', 'gateway', 'mrz']));
  });

  it('gives every command of the main help a section of the guide', () => {
    const headings = guide.split('\n').filter((l) => l.startsWith('## '));
    for (const command of commands) expect(headings.some((h) => h.startsWith(`## \`${command}`)), command).toBe(true);
  });

  it('names in the guide every flag and every variable the help texts name', () => {
    for (const [topic, text] of Object.entries({ main: MAIN_HELP, ...HELP })) {
      for (const flag of flagsOf(text)) expect(inGuide(flag), `${flag} of borderlink help ${topic}`).toBe(true);
      for (const variable of variablesOf(text)) expect(inGuide(variable), `${variable} of borderlink help ${topic}`).toBe(true);
    }
  });

  it('prints the exit codes of the help in the guide, in order', () => {
    const table = guide.slice(guide.indexOf('## Exit codes'));
    const rows = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual(EXIT_CODES.map((e) => e.code));
    for (const e of EXIT_CODES) expect(MAIN_HELP).toContain(`  ${e.code}  ${e.meaning}`);
  });

  it('answers help for each command and subcommand, as `help COMMAND` and as `COMMAND --help`', async () => {
    for (const topic of ['sync', 'outbox', 'store', 'outbox list', 'outbox flush', 'store inventory', 'store check']) {
      const viaHelp = await runCli(['help', ...topic.split(' ')]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toMatch(/^Usage:/);
      const viaFlag = await runCli([...topic.split(' '), '--help']);
      expect(viaFlag.stdout).toBe(viaHelp.stdout);
    }
    expect((await runCli(['help', 'sync'])).stdout).toContain('BORDERLINK_STORE_HMAC_KEY');
    expect((await runCli(['help', 'check'])).stdout).toContain('--offline-store PATH');
  });

  it('has no help topic for what is not one (a name of Object.prototype included)', async () => {
    for (const topic of ['constructor', 'toString', '__proto__']) {
      const result = await runCli(['help', topic]);
      expect(result.code).toBe(4);
      expect(result.stderr).toBe('borderlink: no help on that: try borderlink --help\n');
    }
  });
});
